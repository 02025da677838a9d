// Nothing secret leaves the proxy: neither in the decision log nor in the events sent
// to the portal (which applies the same masking again when it ingests them). A value found in a credential-bearing place (Authorization,
// cookies, token or password-like names) is replaced wholesale; elsewhere,
// credential-shaped substrings (JWTs, Bearer/Basic credentials, key=value pairs
// with a secret-like key) are cut out of the excerpt.

const SECRET_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "x-auth-token", "x-csrf-token", "x-xsrf-token"]);
const SECRET_NAME =
  /pass(?:word|wd|phrase|code)|^pass$|pwd|secret|token|api[-_]?key|apikey|^auth$|authori[sz]ation|authentication|session|sess[-_]?id|jwt|credential|private[-_]?key|^otp$|^pin$|cvv|^ssn$|card[-_]?number/i;
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const SCHEME_CREDENTIAL = /\b(Bearer|Basic|Digest|Negotiate)\s+[A-Za-z0-9._~+/=-]+/gi;
const SECRET_PAIR = /((?:pass(?:word|wd)?|pwd|secret|token|api[-_]?key|apikey|session|sessid|jwt|auth)[\w-]*\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&;,]+)/gi;

export const MASKED = "[masked]";

/** Whether a value in this part under this name is a credential as a whole. */
export function isSecretPlace(part: string, name: string): boolean {
  if (part === "cookie") return true;
  const lower = name.toLowerCase();
  if (part === "header" && SECRET_HEADERS.has(lower)) return true;
  // The last segment of a JSON pointer or a dotted name is what names the value.
  const last =
    lower
      .split(/[/.[\]]/)
      .filter((s) => s.length > 0)
      .at(-1) ?? lower;
  return last.length > 0 && SECRET_NAME.test(last);
}

/** The excerpt as it may be logged and sent. */
export function maskSecrets(part: string, name: string, excerpt: string): string {
  if (excerpt.length === 0) return excerpt;
  if (isSecretPlace(part, name)) return MASKED;
  if (excerpt.indexOf("eyJ") < 0 && !/bearer|basic|digest|negotiate|pass|pwd|secret|token|key|sess|jwt|auth/i.test(excerpt)) return excerpt;
  return excerpt.replace(JWT, MASKED).replace(SCHEME_CREDENTIAL, `$1 ${MASKED}`).replace(SECRET_PAIR, `$1${MASKED}`);
}
