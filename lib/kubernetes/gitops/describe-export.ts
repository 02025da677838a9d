// The wording of an export: the commit message, and the source line of each file
// header. Pure, so the portal can show the message before anything is committed.

import { compareStrings, type ExportSource } from "./export-sources";

const SUBJECT_MAX = 72;

export type DescribeExportInput = {
  /** What is delivered, per application. */
  sources: readonly ExportSource[];
  /** Applications whose resources this export removes from the folder. */
  removedApplications?: readonly string[];
  publishedBy: { name: string; email: string };
  /** The delivery target's name, when the portal has one. */
  target?: string | null;
};

/** "sha256:34756b097ed9" — enough to recognise a bundle, short enough to read. */
export function shortHash(hash: string): string {
  const [algorithm, digest] = hash.includes(":") ? hash.split(":", 2) : ["", hash];
  return `${algorithm ? `${algorithm}:` : ""}${(digest ?? "").slice(0, 12)}`;
}

export function describeBaseline(baseline: ExportSource["baseline"]): string {
  const version = baseline.version ? ` ${oneLine(baseline.version)}` : baseline.contentHash ? ` (${shortHash(baseline.contentHash)})` : "";
  return `baseline ${oneLine(baseline.name)}${version}`;
}

/** "payments-api policy 3.2.0 on baseline standard 7, bundle sha256:34756b097ed9" */
export function describeSource(source: ExportSource): string {
  const policy = source.policyVersion ? `policy ${oneLine(source.policyVersion)} on ` : "";
  return `${oneLine(source.application)} ${policy}${describeBaseline(source.baseline)}${source.policyVersion ? "" : " alone"}, bundle ${shortHash(source.contentHash)}`;
}

/**
 * The commit message: a subject naming the applications and versions (or how many when
 * they do not fit), who published, every source in full, and trailers with the full
 * bundle hashes for tools that read the history.
 */
export function describeExport(input: DescribeExportInput): string {
  const sources = [...input.sources].sort((a, b) => compareStrings(a.application, b.application));
  const removed = [...new Set(input.removedApplications ?? [])].map(oneLine).sort(compareStrings);
  const target = input.target ? oneLine(input.target) : null;

  const lines = [subjectOf(sources, removed, target), ""];
  lines.push(`Published by ${oneLine(input.publishedBy.name)} <${oneLine(input.publishedBy.email)}>${target ? ` to ${target}` : ""}.`);
  if (sources.length > 0) {
    lines.push("", "Applications:", ...sources.map((source) => `- ${describeSource(source)}`));
  }
  const baselines = [...new Set(sources.map((source) => describeBaseline(source.baseline)))];
  if (sources.length === 0 && removed.length === 0) lines.push("", "Only resources shared by every application (no application policy).");
  if (baselines.length > 1) lines.push("", `Note: the applications were compiled against different baselines (${baselines.join("; ")}).`);
  if (removed.length > 0) lines.push("", "Removed:", ...removed.map((application) => `- ${application}`));
  lines.push("", "Rendered by Rampart; the folder's files are replaced on every export.");
  if (sources.length > 0) {
    lines.push("", ...sources.map((source) => `Rampart-Bundle: ${oneLine(source.application)} ${oneLine(source.contentHash)}`));
  }
  return `${lines.join("\n")}\n`;
}

function subjectOf(sources: readonly ExportSource[], removed: readonly string[], target: string | null): string {
  const where = target ? ` to ${target}` : "";
  const named = sources.map((source) => `${oneLine(source.application)}${source.policyVersion ? ` ${oneLine(source.policyVersion)}` : ""}`);
  const parts: string[] = [];
  if (named.length > 0) parts.push(`deliver ${named.join(", ")}`);
  if (removed.length > 0) parts.push(`remove ${removed.join(", ")}`);
  const subject = parts.length > 0 ? `Rampart: ${parts.join("; ")}${where}` : `Rampart: deliver shared resources${where}`;
  if (subject.length <= SUBJECT_MAX) return subject;

  const counted: string[] = [];
  if (sources.length > 0) counted.push(`deliver ${plural(sources.length, "application")}`);
  if (removed.length > 0) counted.push(`remove ${plural(removed.length, "application")}`);
  const short = `Rampart: ${counted.join("; ")}${where}`;
  return short.length <= SUBJECT_MAX ? short : `${short.slice(0, SUBJECT_MAX - 1)}…`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** Names come from users: a line break in one must not forge a trailer or a header line. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ").trim();
}
