import { describe, expect, it } from "vitest";
import type { Answers } from "./answers-schema";
import type { DecisionView } from "./architecture-schemas";
import { describeDecision } from "./describe-decision";
import { evaluateAnswers } from "./evaluate-answers";
import { decisionMarkdownFilename, renderDecisionMarkdown } from "./render-decision-markdown";

const RETAILER: Answers = {
  classicWorkloads: true,
  kubernetesWorkloads: "some",
  kubernetesKnowHow: "medium",
  perimeterRequired: true,
  zeroTrust: true,
  sharedResponsibility: true,
  changeFrequency: "moderate",
  bundleWithApplication: false,
};

function decision(
  overrides: Partial<DecisionView> = {},
  answers: Answers = RETAILER,
  architecture?: DecisionView["architecture"],
  rationale = "",
): DecisionView {
  const evaluation = evaluateAnswers(answers);
  const chosen = architecture ?? evaluation.architecture;
  const content = describeDecision({ answers, evaluation, architecture: chosen, rationale, scopeLabel: "Web shop" });
  return {
    id: "7d1c1f2e-1f0a-4e0e-9a55-0d3b8f1c2a10",
    number: 7,
    reference: "ADR-0007",
    title: content.title,
    status: "accepted",
    architecture: chosen,
    recommended: evaluation.architecture,
    team: { id: "5f0c6f8e-52a4-4c55-9a51-2f8f0b5c8e11", slug: "shop", name: "Shop" },
    applications: [{ id: "0b0c6f8e-52a4-4c55-9a51-2f8f0b5c8e12", slug: "web-shop", name: "Web shop" }],
    answers,
    evaluation,
    context: "The shop moves to Kubernetes; ERP stays on VMs | for now.",
    rationale,
    consequences: content.consequences,
    alternatives: content.alternatives,
    author: { id: "1b0c6f8e-52a4-4c55-9a51-2f8f0b5c8e13", name: "Pat Lead", email: "pat@example.test" },
    createdAt: "2026-11-26T09:00:00.000Z",
    acceptedBy: { id: "2b0c6f8e-52a4-4c55-9a51-2f8f0b5c8e14", name: "Sam Officer", email: "sam@example.test" },
    acceptedAt: "2026-11-27T10:00:00.000Z",
    supersededAt: null,
    supersedes: { id: "3b0c6f8e-52a4-4c55-9a51-2f8f0b5c8e15", number: 3, reference: "ADR-0003", status: "superseded" },
    supersededBy: null,
    version: 2,
    ...overrides,
  };
}

describe("renderDecisionMarkdown", () => {
  const markdown = renderDecisionMarkdown(decision());

  it("follows the ADR layout: title, status, context, decision, consequences, alternatives", () => {
    const headings = markdown.split("\n").filter((l) => l.startsWith("#"));
    expect(headings).toEqual([
      "# ADR-0007: Protect Web shop with architecture A: Gateway with Microgateways",
      "## Context",
      "## Decision",
      "## Consequences",
      "## Alternatives considered",
      "### B — Microgateways without a Gateway",
      "### C — Gateway without Microgateways",
    ]);
    expect(markdown).toContain("- Status: Accepted on 2026-11-27 by Sam Officer");
    expect(markdown).toContain("- Date: 2026-11-26");
    expect(markdown).toContain("- Author: Pat Lead <pat@example.test>");
    expect(markdown).toContain("- Supersedes: ADR-0003");
    expect(markdown).toContain("We will use architecture **A — Gateway with Microgateways**");
  });

  it("records the answers as context, escaping table cells", () => {
    expect(markdown).toContain("| Do applications outside Kubernetes need protection? | Yes, some applications run outside Kubernetes |");
    expect(markdown).toContain("| Must every service check every request, even inside the cluster (zero trust)? | Yes, every service checks every request |");
    expect(markdown).toContain("ERP stays on VMs | for now.");
    expect(markdown).toContain("scored A 13, B -2 (ruled out), C 2");
  });

  it("says what the decision means in Rampart and why the alternatives were not taken", () => {
    expect(markdown).toContain("- The baseline is enforced at the gateway, which only security officers can change.");
    expect(markdown).toContain("- Delivery targets: Gateway, Microgateway (one per application).");
    expect(markdown).toMatch(/### B — Microgateways without a Gateway\n\nRuled out\. B has no gateway/);
    expect(markdown).toMatch(/### C — Gateway without Microgateways\n\nIt scored 2 against 13 for A\. You want zero trust/);
  });

  it("records a decision against the recommendation with its rationale", () => {
    const why = "The ERP backends are decommissioned in Q1; we accept the gap until then.";
    const md = renderDecisionMarkdown(decision({ status: "proposed", acceptedAt: null, acceptedBy: null }, RETAILER, "C", why));
    expect(md).toContain("- Status: Proposed, awaiting acceptance by a security officer");
    expect(md).toContain(`This differs from Rampart's recommendation (A). Why: ${why}`);
    expect(md).toMatch(/### A — Gateway with Microgateways\n\nRampart recommended it \(13 points against 2 for C\), but the team decided otherwise: The ERP/);
    expect(md).toContain("- Left unmet: You want zero trust");
  });

  it("shows supersession in the status line", () => {
    const md = renderDecisionMarkdown(
      decision({
        status: "superseded",
        supersededAt: "2027-03-01T08:00:00.000Z",
        supersededBy: { id: "4b0c6f8e-52a4-4c55-9a51-2f8f0b5c8e16", number: 12, reference: "ADR-0012", status: "accepted" },
      }),
    );
    expect(md).toContain("- Status: Superseded by ADR-0012 on 2027-03-01 (accepted on 2026-11-27 by Sam Officer)");
    expect(md).toContain("- Superseded by: ADR-0012");
  });

  it("lists the evaluation's warnings", () => {
    const md = renderDecisionMarkdown(decision({}, { ...RETAILER, kubernetesWorkloads: "none" }));
    expect(md).toContain("- Contradiction: You ask for zero trust between services but have no Kubernetes workloads.");
  });

  it("is deterministic and ends with one newline", () => {
    expect(renderDecisionMarkdown(decision())).toBe(markdown);
    expect(markdown.endsWith("\n")).toBe(true);
    expect(markdown.endsWith("\n\n")).toBe(false);
  });
});

describe("decisionMarkdownFilename", () => {
  it("names the file after the reference and title", () => {
    expect(decisionMarkdownFilename({ reference: "ADR-0007", title: "Protect Web shop with architecture A: Gateway with Microgateways" })).toBe(
      "adr-0007-protect-web-shop-with-architecture-a-gateway-with.md",
    );
    expect(decisionMarkdownFilename({ reference: "ADR-0001", title: "«»" })).toBe("adr-0001.md");
  });
});
