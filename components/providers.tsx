"use client";
import { QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { createQueryClient } from "@/lib/query/create-query-client";

export function Providers({ children }: { children: ReactNode }) {
  // One client per browser tab, created once: useState's initialiser does not re-run on re-render.
  const [queryClient] = useState(createQueryClient);
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
