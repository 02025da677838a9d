import { ARCHITECTURES } from "./answers-schema";
import { architectureTitle } from "./architecture-names";
import { DELIVERY_TARGET_LABELS } from "./architecture-profiles";
import type { DecisionView } from "./architecture-schemas";
import { describeEffectiveArchitecture } from "./describe-effective-architecture";
import { answerLabel, factorOf, FACTOR_ORDER } from "./factors";

// A decision record as Markdown, in the usual ADR layout (title, status, context,
// decision, consequences, alternatives), so a team can keep it in its repository
// next to the code it concerns. Pure: the same record always renders the same text.

const STATUS_LABELS = { proposed: "Proposed", accepted: "Accepted", superseded: "Superseded" } as const;
const WARNING_LABELS = {
  contradiction: "Contradiction",
  caution: "Caution",
  "unmet-requirement": "Unmet requirement",
  "close-call": "Close call",
} as const;

const day = (iso: string) => iso.slice(0, 10);
const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();
const cell = (text: string) => oneLine(text).replaceAll("|", "\\|");

export function decisionMarkdownFilename(decision: Pick<DecisionView, "reference" | "title">): string {
  let slug = decision.title
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  // Long titles are cut at a word boundary.
  if (slug.length > 60) {
    const cut = slug.lastIndexOf("-", 60);
    slug = slug.slice(0, cut > 0 ? cut : 60);
  }
  return `${decision.reference.toLowerCase()}${slug ? `-${slug}` : ""}.md`;
}

function scopeLine(d: DecisionView): string {
  if (d.applications.length === 0) return `Team ${d.team.name}: every application without a decision of its own`;
  const apps = d.applications.map((a) => `${a.name} (\`${a.slug}\`)`).join(", ");
  return `Team ${d.team.name}, application${d.applications.length === 1 ? "" : "s"} ${apps}`;
}

function statusLine(d: DecisionView): string {
  const label = STATUS_LABELS[d.status];
  if (d.status === "proposed") return `${label}, awaiting acceptance by a security officer`;
  const accepted = d.acceptedAt && d.acceptedBy ? ` on ${day(d.acceptedAt)} by ${d.acceptedBy.name}` : "";
  if (d.status === "accepted") return `${label}${accepted}`;
  const by = d.supersededBy ? ` by ${d.supersededBy.reference}` : "";
  return `${label}${by}${d.supersededAt ? ` on ${day(d.supersededAt)}` : ""} (accepted${accepted})`;
}

export function renderDecisionMarkdown(d: DecisionView): string {
  const out: string[] = [];
  const push = (...lines: string[]) => out.push(...lines);
  const { evaluation } = d;
  const effective = describeEffectiveArchitecture(d.architecture);

  push(`# ${d.reference}: ${oneLine(d.title)}`, "");
  push(`- Status: ${statusLine(d)}`);
  push(`- Date: ${day(d.createdAt)}`);
  push(`- Author: ${d.author.name} <${d.author.email}>`);
  push(`- Scope: ${scopeLine(d)}`);
  if (d.supersedes) push(`- Supersedes: ${d.supersedes.reference}`);
  if (d.supersededBy) push(`- Superseded by: ${d.supersededBy.reference}`);
  push("");

  push("## Context", "");
  if (d.context) push(d.context, "");
  push("The team answered Rampart's architecture questionnaire as follows.", "");
  push("| Question | Answer |", "| --- | --- |");
  for (const factor of FACTOR_ORDER) {
    const value = d.answers[factor];
    if (value === undefined) continue;
    push(`| ${cell(factorOf(factor).question)} | ${cell(answerLabel(factor, value))} |`);
  }
  push("");
  const scores = ARCHITECTURES.map((a) => {
    const out = evaluation.ruledOut.some((r) => r.architecture === a) ? " (ruled out)" : "";
    return `${a} ${evaluation.scores[a]}${out}`;
  }).join(", ");
  push(`Rampart's evaluation scored ${scores}, and recommended **${architectureTitle(d.recommended)}**.`, "");
  if (evaluation.warnings.length > 0) {
    push("The evaluation pointed out:", "");
    for (const w of evaluation.warnings) push(`- ${WARNING_LABELS[w.kind]}: ${oneLine(w.message)}`);
    push("");
  }

  push("## Decision", "");
  push(`We will use architecture **${architectureTitle(d.architecture)}** for ${scopeLine(d).replace(/^Team/, "team")}.`, "");
  if (d.architecture !== d.recommended) push(`This differs from Rampart's recommendation (${d.recommended}). Why: ${d.rationale}`, "");
  else if (d.rationale) push(d.rationale, "");

  push("## Consequences", "");
  for (const c of d.consequences) push(`- ${oneLine(c)}`);
  push("");
  push("In Rampart, this decision means:", "");
  if (effective.baselineEnforcement) push(`- The baseline is enforced ${effective.baselineEnforcement.how}.`);
  push(`- Who edits what: ${effective.editing.summary}`);
  push(`- Delivery targets: ${effective.deliveryTargets.map((t) => DELIVERY_TARGET_LABELS[t]).join(", ")}.`);
  push("");

  push("## Alternatives considered", "");
  for (const alt of d.alternatives) {
    push(`### ${architectureTitle(alt.architecture)}`, "", oneLine(alt.whyNot), "");
  }
  return `${out.join("\n").trimEnd()}\n`;
}
