// Runs in the browser before the portal's code (Next.js's instrumentation-client convention).
// zod compiles object schemas with `new Function` where eval is allowed, and probes for it
// on first use; the pages' Content-Security-Policy forbids eval (lib/server/content-security-policy.ts),
// so the probe alone would be reported as a violation. Forms validate a handful of fields:
// the interpreted path is fast enough.
import { z } from "zod";

z.config({ jitless: true });
