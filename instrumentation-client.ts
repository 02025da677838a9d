// Runs in the browser before the portal's code (Next.js's instrumentation-client convention).
// zod compiles object schemas with `new Function` where eval is allowed, and probes for it
// on first use; the pages' Content-Security-Policy forbids eval (lib/server/content-security-policy.ts),
// so the probe alone would be reported as a violation. `jitless` is zod's switch for that.
// It is set on the object zod keeps its configuration in (globalThis.__zod_globalConfig,
// shared by every copy of zod, created by whichever runs first) instead of through
// z.config(): importing zod here would put it in every page's first load, the public
// questionnaire's too, which ships without zod (tests/e2e/daily-use.test.ts's budget).
const holder = globalThis as { __zod_globalConfig?: { jitless?: boolean } };
holder.__zod_globalConfig ??= {};
holder.__zod_globalConfig.jitless = true;

export {};
