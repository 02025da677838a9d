// Forwarded addresses as proxies write them, reduced to the address itself.

/**
 * An address as it appears in X-Forwarded-For or Forwarded: optional quotes,
 * brackets and port ("[2001:db8::1]:443", "192.0.2.1:8080") are removed.
 */
export function stripAddressDecoration(text: string): string {
  let t = text.trim();
  if (t.length >= 2 && t.charCodeAt(0) === 34 && t.charCodeAt(t.length - 1) === 34) t = t.slice(1, -1);
  if (t.charCodeAt(0) === 91) {
    const close = t.indexOf("]");
    return close < 0 ? t : t.slice(1, close);
  }
  const colon = t.indexOf(":");
  // one colon: IPv4 with a port; several: bare IPv6
  if (colon >= 0 && t.indexOf(":", colon + 1) < 0) return t.slice(0, colon);
  return t;
}
