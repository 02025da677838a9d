// Log4j lookup resolution, so that obfuscated Log4Shell payloads
// (${${lower:j}${::-n}di:…}, ${${env:X:-j}ndi:…}) collapse to ${jndi:…}
// before matching. Innermost lookups are evaluated first, as Log4j does.

const MAX_ROUNDS = 8;

/** Evaluates one Log4j lookup body (without ${ and }) to the text it would produce. */
function evaluate(body: string): string | null {
  // ${::-x} ${env:NAME:-x} ${sys:x:-y} … : the default after ":-" is what an unknown lookup yields
  const dflt = body.indexOf(":-");
  const colon = body.indexOf(":");
  const prefix = colon >= 0 ? body.slice(0, colon).trim().toLowerCase() : "";
  if (prefix === "lower" || prefix === "upper") {
    const v = body.slice(colon + 1);
    // callers lower-case the result, so ${upper:j} and ${lower:J} both yield "j"
    return v;
  }
  if (prefix === "date") {
    const v = body.slice(colon + 1).trim();
    const m = /^'([^']*)'$/.exec(v);
    return m ? m[1]! : v;
  }
  if (prefix === "base64") {
    const text = Buffer.from(body.slice(colon + 1), "base64").toString("latin1");
    return /^[\x20-\x7e]*$/.test(text) ? text : null;
  }
  if (dflt >= 0) return body.slice(dflt + 2);
  if (prefix === "jndi") return null;
  // ${base64:…} and friends are left alone; ${x} without a default stays as written
  return null;
}

/**
 * Collapses nested lookups (case preserved; callers lower-case). Linear per round
 * (each round rewrites innermost ${…} groups left to right), bounded rounds.
 */
export function resolveLookups(input: string): string {
  if (input.indexOf("${") < 0) return input;
  let s = input;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let out = "";
    let last = 0;
    let changed = false;
    let open = -1;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 36 /* $ */ && s.charCodeAt(i + 1) === 123) {
        open = i;
        i++;
      } else if (c === 125 /* } */ && open >= 0) {
        const body = s.slice(open + 2, i);
        const value = evaluate(body);
        if (value !== null) {
          out += s.slice(last, open) + value;
          last = i + 1;
          changed = true;
        }
        open = -1;
      }
    }
    if (!changed) break;
    s = out + s.slice(last);
  }
  return s;
}
