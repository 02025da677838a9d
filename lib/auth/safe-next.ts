// Where to go after signing in. `next` comes from the URL (and, for single sign-on, back
// through the provider), so only same-site paths are kept: anything else would be an
// open redirect.
export function safeNext(raw: string | string[] | null | undefined): string {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  if (value === "/sign-in" || value.startsWith("/sign-in?") || value.startsWith("/sign-in/") || value.startsWith("/api/")) return "/";
  return value;
}
