import type { ReactNode } from "react";
import { Providers } from "@/components/providers";

// Saving a result as a decision record sends it through TanStack Query (useApiForm); the
// questionnaire itself needs no provider, so its first load stays within budget.
export default function ResultLayout({ children }: { children: ReactNode }) {
  return <Providers>{children}</Providers>;
}
