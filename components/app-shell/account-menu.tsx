"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";
import { SignOutButton } from "@/components/auth/sign-out-button";

export type AccountSummary = { name: string; email: string; roles: string[] };

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? "") + (parts.length > 1 ? (parts.at(-1)?.[0] ?? "") : "")).toUpperCase() || "?";
}

// A native <details> disclosure: keyboard and screen-reader support for free. It closes
// on navigation, on Escape and when focus or a click lands outside it.
export function AccountMenu({ account }: { account: AccountSummary }) {
  const ref = useRef<HTMLDetailsElement>(null);
  const pathname = usePathname();

  useEffect(() => {
    if (ref.current) ref.current.open = false;
  }, [pathname]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape" && ref.current?.open) {
        ref.current.open = false;
        ref.current.querySelector("summary")?.focus();
      }
    };
    const onPointer = (event: MouseEvent) => {
      if (ref.current?.open && !ref.current.contains(event.target as Node)) ref.current.open = false;
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("click", onPointer);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("click", onPointer);
    };
  }, []);

  return (
    <details className="account-menu" ref={ref}>
      <summary aria-label={`Account menu for ${account.name}`}>
        <span className="avatar" aria-hidden="true">
          {initials(account.name)}
        </span>
        <span className="account-name">{account.name}</span>
      </summary>
      <div className="account-panel">
        <p className="account-panel-name">{account.name}</p>
        <p className="account-panel-email">{account.email}</p>
        <p className="account-panel-label">Roles</p>
        {account.roles.length > 0 ? (
          <ul className="account-roles" aria-label="Your roles">
            {account.roles.map((role) => (
              <li key={role}>{role}</li>
            ))}
          </ul>
        ) : (
          <p className="muted">No team roles</p>
        )}
        <div className="account-panel-actions">
          <Link href="/account" className="button button-secondary">
            Account settings
          </Link>
          <SignOutButton />
        </div>
      </div>
    </details>
  );
}
