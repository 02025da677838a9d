// Resources → one multi-document YAML text, the form kubectl, kustomize and Git
// reviewers read. Key order is the renderers' (apiVersion, kind, metadata,
// spec), and long strings are never folded, so the text is stable.

import YAML from "yaml";
import type { KubernetesResource } from "./kubernetes-resource";

export function manifestYaml(resources: KubernetesResource[], header?: string): string {
  const comment = header ? `${header.split("\n").map((line) => `# ${line}`.trimEnd()).join("\n")}\n` : "";
  return comment + resources.map((resource) => YAML.stringify(resource, { lineWidth: 0, aliasDuplicateObjects: false })).join("---\n");
}
