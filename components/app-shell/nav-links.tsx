"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

export type NavItem = { href: string; label: string };
export type NavGroup = { label?: string; items: NavItem[] };

function isCurrent(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

export function NavLinks({ groups }: { groups: NavGroup[] }) {
  const pathname = usePathname();
  // One entry is current: the most specific that matches (/approvals/mine, not also /approvals).
  const current = groups
    .flatMap((group) => group.items.map((item) => item.href))
    .filter((href) => isCurrent(pathname, href))
    .sort((a, b) => b.length - a.length)[0];
  return (
    <>
      {groups
        .filter((group) => group.items.length > 0)
        .map((group, index) => (
          <div className="nav-group" key={group.label ?? index}>
            {group.label ? <p className="nav-group-label">{group.label}</p> : null}
            <ul>
              {group.items.map((item) => (
                <li key={item.href}>
                  <Link href={item.href} aria-current={item.href === current ? "page" : undefined}>
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        ))}
    </>
  );
}
