// Resources → one multi-document YAML text, the form kubectl, kustomize and Git
// reviewers read. Key order is the renderers' (apiVersion, kind, metadata,
// spec), and long strings are never folded, so the text is stable. Written for
// YAML 1.1 readers (kubectl, client-go, every 1.1 parser): a string such as
// "off", "on", "yes" or "0755" is quoted, so it is never read as a boolean or
// a number (an unquoted `off` in an enum made the CRD refuse "off").

import YAML from "yaml";
import type { KubernetesResource } from "./kubernetes-resource";

export function manifestYaml(resources: KubernetesResource[], header?: string): string {
  const comment = header
    ? `${header
        .split("\n")
        .map((line) => `# ${line}`.trimEnd())
        .join("\n")}\n`
    : "";
  return comment + resources.map((resource) => YAML.stringify(resource, { version: "1.1", lineWidth: 0, aliasDuplicateObjects: false })).join("---\n");
}
