import type { ReactNode } from "react";
import { AccountMenu, type AccountSummary } from "./account-menu";
import { BrandLink } from "./brand-link";
import { NavLinks, type NavGroup } from "./nav-links";

export function AppShell({ account, navigation, children }: { account: AccountSummary; navigation: NavGroup[]; children: ReactNode }) {
  return (
    <div className="shell">
      <header className="topbar">
        <BrandLink />
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
