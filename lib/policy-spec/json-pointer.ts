/**
 * RFC 6901 JSON pointers and local `$ref`s ("#/components/schemas/X"): the one reading of them that the spec's
 * OpenAPI checks, the content-field walk and the proxy's OpenAPI validation share, so a reference the portal
 * accepted resolves to the same node in the proxy.
 */

/** One pointer token as a key: "~1" is "/", "~0" is "~" (in that order, so "~01" is "~1"). */
export function unescapePointerToken(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** A key as one pointer token. */
export function escapePointerToken(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

/**
 * A local reference's keys ("#/components/schemas/A~1B" → ["components", "schemas", "A/B"]), or undefined for
 * anything that is not a local reference. A reference is a URI fragment, so its tokens are percent-decoded
 * first; a malformed escape is undefined rather than a thrown URIError (a policy is user input).
 */
export function localRefKeys(ref: string): string[] | undefined {
  if (!ref.startsWith("#/")) return undefined;
  const keys: string[] = [];
  for (const raw of ref.slice(2).split("/")) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    keys.push(unescapePointerToken(decoded));
  }
  return keys;
}

/** Follows a local reference within the document; a key the document does not own ("#/__proto__") finds nothing. */
export function resolveLocalRef(document: unknown, ref: string): unknown {
  const keys = localRefKeys(ref);
  if (keys === undefined) return undefined;
  let current = document;
  for (const key of keys) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
