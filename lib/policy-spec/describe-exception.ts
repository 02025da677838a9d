// One wording for an exception, used by the merge's review flags and by the diff,
// so a reviewer sees the same sentence everywhere.

import type { PolicyException } from "./sections/exceptions";

export function describeExceptionTarget(exception: PolicyException): string {
  const rule = exception.ruleId ? `rule ${exception.ruleId}` : exception.family!;
  const part =
    exception.part === "path"
      ? "the path"
      : exception.part === "json-pointer"
        ? `JSON pointer \`${exception.pointer}\``
        : `${exception.part} \`${exception.name}\``;
  const methods = exception.conditions.methods?.join("|");
  const where = exception.conditions.paths.map((path) => `\`${methods ? `${methods} ` : ""}${path}\``).join(", ");
  return `${rule} on ${part} of ${where}`;
}

/** "an exception for sqli on parameter `q` of `GET /search`, expires 2027-01-31" */
export function describeException(exception: PolicyException): string {
  return `an exception for ${describeExceptionTarget(exception)}, expires ${exception.expires}`;
}
