import type { ReactNode } from "react";
import { Providers } from "@/components/providers";

// The sign-in form sends its request through TanStack Query (useApiForm); the root layout
// leaves the provider to the parts that use it.
export default function SignInLayout({ children }: { children: ReactNode }) {
  return <Providers>{children}</Providers>;
}
