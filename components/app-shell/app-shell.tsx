import Link from "next/link";
import type { ReactNode } from "react";
import { AccountMenu, type AccountSummary } from "./account-menu";
import { BrandLink } from "./brand-link";
import { NavLinks, type NavGroup } from "./nav-links";

export function AppShell({
  account,
  navigation,
  unreadNotifications,
  children,
}: {
  account: AccountSummary;
  navigation: NavGroup[];
  unreadNotifications: number;
  children: ReactNode;
}) {
  return (
    <div className="shell">
      <header className="topbar">
        <BrandLink />
        <Link href="/notifications" className="topbar-notifications" aria-label={`Notifications: ${unreadNotifications} unread`}>
          Notifications{unreadNotifications > 0 ? <span className="badge">{unreadNotifications}</span> : null}
        </Link>
        <AccountMenu account={account} />
      </header>
      <nav className="sidebar" aria-label="Main">
        <NavLinks groups={navigation} />
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
