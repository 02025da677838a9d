// A decision is what a middleware returns instead of writing a response
// (caddy's handlers return errors): blocked requests get one response, written
// in one place, and every decision becomes one JSON log line.

export type DecisionAction = "blocked" | "logged";

export interface Decision {
  /** The HTTP status a blocked request is answered with. */
  readonly status: number;
  /** Deny-rule family, or the control that decided: access, method, admin, limits, auth, openapi, rate-limit, cors, protocol, tls. */
  readonly family: string;
  readonly ruleId: string;
  /** Which part of the request: path, query, parameter, header, cookie, json-pointer, body, connection, method. */
  readonly part: string;
  /** Header/parameter/cookie name or JSON pointer; "" when the part has none. */
  readonly name: string;
  /** A short, masked excerpt of the offending value: never a whole value, never a credential. */
  readonly excerpt: string;
  readonly action: DecisionAction;
  /** The content profile of the field the decision is about ("field body: markdown profile"), when the OpenAPI spec gives it one. */
  readonly profile?: string;
  /** Response headers that explain the refusal (Allow, WWW-Authenticate, Retry-After). */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
}

export type Verdict = Decision | null;

export function blocked(
  status: number,
  family: string,
  ruleId: string,
  part: string,
  name: string,
  excerpt: string,
  headers?: ReadonlyArray<readonly [string, string]>,
): Decision {
  return headers
    ? { status, family, ruleId, part, name, excerpt: maskExcerpt(excerpt), action: "blocked", headers }
    : { status, family, ruleId, part, name, excerpt: maskExcerpt(excerpt), action: "blocked" };
}

export function logged(family: string, ruleId: string, part: string, name: string, excerpt: string): Decision {
  return { status: 0, family, ruleId, part, name, excerpt: maskExcerpt(excerpt), action: "logged" };
}

const EXCERPT_MAX = 64;

/** At most 64 characters, control characters escaped, so a log line can never be split or forged. */
export function maskExcerpt(text: string): string {
  const clipped = text.length > EXCERPT_MAX ? `${text.slice(0, EXCERPT_MAX - 1)}…` : text;
  return /[\u0000-\u001f\u007f-\u009f]/.test(clipped)
    ? clipped.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`)
    : clipped;
}
