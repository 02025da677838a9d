// Certificate and CA references from a policy ("file:<path>", "secret:<name>")
// resolved to bytes. Secrets live in the operator's --secrets-dir as
// <name>.pem (or <name>); a name can never climb out of that directory.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export interface RefOptions {
  secretsDir: string | null;
  /** Directory relative file: references are resolved against. */
  baseDir: string;
}

export function readRef(ref: string, options: RefOptions): Buffer {
  if (ref.startsWith("file:")) return readFileSync(path.resolve(options.baseDir, ref.slice(5)));
  if (ref.startsWith("secret:")) {
    const name = ref.slice(7);
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || name.includes("..")) throw new Error(`secret name "${name}" is not a plain file name`);
    if (options.secretsDir === null) throw new Error(`the policy references ${ref}: give --secrets-dir holding ${name}.pem`);
    for (const candidate of [`${name}.pem`, name]) {
      const file = path.join(options.secretsDir, candidate);
      if (existsSync(file)) return readFileSync(file);
    }
    throw new Error(`${ref}: neither ${name}.pem nor ${name} exists in ${options.secretsDir}`);
  }
  throw new Error(`unsupported reference "${ref}" (file:<path> or secret:<name>)`);
}
