import next from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...next,
  ...nextTs,
  { ignores: ["lib/generated/**", ".next/**", "node_modules/**", ".data/**"] },
  {
    // Tests read arbitrary JSON responses; typing each one adds nothing.
    files: ["tests/**/*.ts", "**/*.test.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // proxy/ is its own runtime: of lib/ it may import only the pure policy contract.
    files: ["proxy/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@/lib/*", "!@/lib/policy-spec", "!@/lib/policy-spec/*", "../lib/*", "../../lib/*"], message: "proxy/ imports only lib/policy-spec." }] },
      ],
    },
  },
  {
    // components/ renders; server code and Prisma stay out of it.
    files: ["components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@/lib/db/*", "@/lib/generated/*", "server-only"], message: "components/ must not import server code." }] },
      ],
    },
  },
];

export default config;
