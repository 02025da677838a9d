import next from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// Layers (ARCHITECTURE.md › Layers), each enforced below with no-restricted-imports.
// Regex patterns match the import as written, so relative imports any number of
// levels up ("../../../lib/db") are caught as well as "@/" ones.

/** The domain folders: they own the rules and import neither the HTTP layer nor Next. */
const DOMAINS = [
  "applications",
  "approvals",
  "architecture",
  "audit",
  "auth",
  "delivery",
  "errors",
  "kubernetes",
  "notifications",
  "policies",
  "rate-limit",
  "teams",
  "tokens",
  "users",
  "webhooks",
  "outbound",
  "security-events",
  "overview",
];

// scripts/codemods/move-neutral-imports.sh sets this to false once the last domain
// import of @/lib/api/pagination and @/lib/api/zod-field-errors is rewritten to lib/shared/.
const DOMAIN_MAY_IMPORT_LIB_API = false;

/** Re-export stubs left at the old paths until that codemod deletes them. */
const MOVED_STUBS = ["lib/auth/current-actor.ts", "lib/errors/or-not-found.ts"];

const TESTS = ["**/*.test.ts", "**/*.test.tsx", "**/__fixtures__/**"];

const config = [
  ...next,
  ...nextTs,
  { ignores: ["lib/generated/**", ".next/**", "node_modules/**", ".data/**", "dist/**"] },
  {
    // Tests read arbitrary JSON responses; typing each one adds nothing.
    files: ["tests/**/*.ts", "**/*.test.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // proxy/ is its own runtime: of lib/ it may import only the pure policy contract, and nothing of the portal.
    files: ["proxy/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: "^(?:@/|(?:\\.\\./)+)lib/(?!policy-spec(?:/|$))", message: "proxy/ imports only lib/policy-spec." },
            { regex: "^(?:@/|(?:\\.\\./)+)(?:app|components)(?:/|$)", message: "proxy/ imports nothing of the portal." },
            { regex: "^(?:next|react|react-dom|@prisma/.*|server-only)(?:/|$)", message: "proxy/ is a Node runtime of its own." },
          ],
        },
      ],
    },
  },
  {
    // lib/policy-spec/ is the pure contract the portal, the browser and the proxy share:
    // zod, yaml and @noble/hashes (SHA-256), and its own files. Its CLI writes files; the
    // Node 20 shim is side effects only (not exported from index.ts); tests may use anything.
    files: ["lib/policy-spec/**/*.ts"],
    ignores: ["lib/policy-spec/cli/**", "lib/policy-spec/node20-compat.ts", ...TESTS],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(?!zod(?:/|$)|yaml(?:/|$)|@noble/hashes/|\\./|\\.\\./)",
              message: "lib/policy-spec imports only zod, yaml, @noble/hashes and its own files.",
            },
            {
              regex: "^(?:\\.\\./)+(?:lib|app|components|proxy|api|db|auth|policies|delivery|kubernetes|query|next|shared)(?:/|$)",
              message: "lib/policy-spec imports only its own files.",
            },
          ],
        },
      ],
    },
  },
  {
    // The domain owns the rules; the HTTP layer (lib/api), Next (lib/next, next/*), the
    // browser's data layer (lib/query) and app/ sit above it and call it, never the reverse.
    files: DOMAINS.map((domain) => `lib/${domain}/**/*.{ts,tsx}`),
    ignores: MOVED_STUBS,
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: "^next(?:/|$)", message: "The domain does not import Next; page glue lives in lib/next/." },
            { regex: "^(?:@/|(?:\\.\\./)+)(?:app|components)(?:/|$)", message: "The domain does not import app/ or components/." },
            {
              regex: "^(?:@/lib/|(?:\\.\\./)+(?:lib/)?)(?:query|next)(?:/|$)",
              message: "The domain does not import lib/query or lib/next; neutral helpers live in lib/shared/.",
            },
            ...(DOMAIN_MAY_IMPORT_LIB_API
              ? []
              : [
                  {
                    regex: "^(?:@/lib/|(?:\\.\\./)+(?:lib/)?)api(?:/|$)",
                    message: "The domain does not import the HTTP layer; neutral helpers live in lib/shared/.",
                  },
                ]),
          ],
        },
      ],
    },
  },
  {
    // components/ renders; server code, Prisma and Next's server APIs stay out of it.
    files: ["components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["server-only", "next/headers", "@prisma/*", "pg"], message: "components/ must not import server code." },
            { regex: "^(?:@/|(?:\\.\\./)+)lib/(?:db|generated|next|server|cli)(?:/|$)", message: "components/ must not import server code." },
            { regex: "^(?:@/|(?:\\.\\./)+)app(?:/|$)", message: "components/ does not import app/; pages pass what it renders." },
          ],
        },
      ],
    },
  },
  {
    // The API's route handlers are served without Next.js (lib/server/api-front.ts): Next's
    // request-scoped APIs (cookies(), headers(), redirect()) and the page glue built on them
    // would fail there. Handlers read what they need from their Request.
    files: ["app/api/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: "^next(?:/|$)", message: "API route handlers run without Next.js (lib/server/api-front.ts): read the Request instead." },
            { regex: "^(?:@/|(?:\\.\\./)+)lib/next(?:/|$)", message: "API route handlers run without Next.js: lib/next/ is page glue." },
          ],
        },
      ],
    },
  },
  {
    // The pages' Content-Security-Policy allows no inline style attributes (lib/server/content-security-policy.ts):
    // server-rendered style="" would be refused by the browser. Style with classes instead.
    files: ["app/**/*.tsx", "components/**/*.tsx"],
    rules: { "react/forbid-dom-props": ["error", { forbid: [{ propName: "style", message: "The CSP refuses inline styles: use a class." }] }] },
  },
];

export default config;
