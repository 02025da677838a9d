// Where to go after signing in. `next` comes from the URL (and, for single sign-on, back
// through the provider), so only paths of this origin are kept: anything else would be an
// open redirect. It is resolved the way a browser resolves it (new URL against an origin)
// and must stay on that origin; control characters are refused outright, because browsers
// strip tabs and newlines from URLs (`/\t/evil.example` becomes `//evil.example`, another
// host) and a newline in a Location header is an error.
const PLACEHOLDER_ORIGIN = "http://rampart.invalid";

export function safeNext(raw: string | string[] | null | undefined): string {
  const value = Array.isArray(raw) ? raw[0] : raw;
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (!value || !value.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(value)) return "/";
  let url: URL;
  try {
    url = new URL(value, PLACEHOLDER_ORIGIN);
  } catch {
    return "/";
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return "/";
  // After normalisation (`/.//x` → `//x`) a path must not read as another host either.
  if (url.pathname.startsWith("//")) return "/";
  const path = url.pathname;
  if (path === "/sign-in" || path.startsWith("/sign-in/") || path.startsWith("/api/")) return "/";
  return `${path}${url.search}${url.hash}`;
}
