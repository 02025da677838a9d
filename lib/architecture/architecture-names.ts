import type { Architecture } from "./answers-schema";

export const ARCHITECTURE_NAMES: Record<Architecture, string> = {
  A: "Gateway with Microgateways",
  B: "Microgateways without a Gateway",
  C: "Gateway without Microgateways",
};

/** "A — Gateway with Microgateways" */
export function architectureTitle(architecture: Architecture): string {
  return `${architecture} — ${ARCHITECTURE_NAMES[architecture]}`;
}
