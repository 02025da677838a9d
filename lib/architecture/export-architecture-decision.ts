import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { toWire } from "@/lib/shared/to-wire";
import { decisionSchema } from "./architecture-schemas";
import { getArchitectureDecision } from "./get-architecture-decision";
import { decisionMarkdownFilename, renderDecisionMarkdown } from "./render-decision-markdown";

/** A decision record the actor may read, as an ADR Markdown file. */
export async function exportArchitectureDecision({ actor, id }: { actor: Actor; id: string }) {
  const decision = toWire(decisionSchema, await getArchitectureDecision({ actor, id }));
  return { filename: decisionMarkdownFilename(decision), markdown: renderDecisionMarkdown(decision) };
}
