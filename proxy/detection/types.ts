// Public types of the deny-rule detection engine. The config schema is zod so
// that a policy compiler (lib/policy-spec) can embed or mirror it; everything
// else is plain TypeScript because it sits on the per-request hot path.
import { z } from "zod";

export const FAMILIES = ["sqli", "xss", "rce", "lfi", "rfi", "java", "php", "ssrf", "protocol", "scanner", "generic", "session"] as const;
export type Family = (typeof FAMILIES)[number];

export const LEVELS = ["basic", "standard", "strict"] as const;
export type Level = (typeof LEVELS)[number];

export const MODES = ["block", "log-only"] as const;
export type Mode = (typeof MODES)[number];

export const PARTS = ["header", "parameter", "path", "json-pointer", "cookie", "body"] as const;
export type Part = (typeof PARTS)[number];

export const METHOD_PATTERN = /^[A-Z][A-Z0-9_-]*$/;

export const familySettingSchema = z
  .object({
    level: z.enum(LEVELS),
    mode: z.enum(MODES),
  })
  .strict();
export type FamilySetting = z.infer<typeof familySettingSchema>;

const familiesShape = Object.fromEntries(FAMILIES.map((f) => [f, familySettingSchema.optional()])) as {
  [K in Family]: z.ZodOptional<typeof familySettingSchema>;
};

export const detectorConfigSchema = z
  .object({
    families: z.object(familiesShape).strict(),
  })
  .strict();
export type DetectorConfig = z.input<typeof detectorConfigSchema>;

/** The request as the proxy has parsed it: raw, undecoded path and query. */
export interface DetectionRequest {
  method: string;
  /** Raw request path without the query string, exactly as received (percent-encoded). */
  path: string;
  /** Raw query string without the leading "?" ("" when absent). */
  query: string;
  headers: ReadonlyArray<readonly [string, string]>;
  /** Already-parsed cookies; when omitted they are parsed from the Cookie headers. */
  cookies?: ReadonlyArray<readonly [string, string]>;
  body?: Buffer | string;
  /** Content-Type of the body; when omitted it is taken from the headers. */
  contentType?: string;
  /**
   * Called for every key and string value of a JSON body, in the engine's own
   * walk of it (see forEachJsonString), so a caller that needs the strings too
   * (the content-field gate) does not parse the body a second time.
   */
  jsonStrings?: (pointer: string, value: string, isKey: boolean) => void;
}

export type MatchAction = "blocked" | "logged";

export interface DetectionMatch {
  ruleId: string;
  family: Family;
  part: Part;
  /** Header/parameter/cookie name, JSON pointer, or "" for the path and raw body. */
  name: string;
  /** The matched fragment only (at most 64 characters, control characters escaped); the rest of the value is never copied. */
  excerpt: string;
  action: MatchAction;
}

/** A part the engine did not inspect whole because it passed an inspection cap. */
export interface UninspectedPart {
  /** Which cap: value-length, body-bytes, json-strings, multipart-parts, xml-nodes. */
  cap: string;
  part: Part;
  name: string;
}

export interface DetectionResult {
  matches: DetectionMatch[];
  blocked: boolean;
  /** Parts beyond an inspection cap; the proxy refuses the request unless the policy's limits.uninspected is "log". */
  uninspected: UninspectedPart[];
  /** Set when the request gave `jsonStrings`: true when the body was read as JSON and every one of its strings went there (none past an inspection cap). */
  jsonWalked?: boolean;
}

export interface Detector {
  inspect(request: DetectionRequest): DetectionResult;
  /** Rule ids active in this detector, for metrics and documentation. */
  readonly activeRuleIds: readonly string[];
}
