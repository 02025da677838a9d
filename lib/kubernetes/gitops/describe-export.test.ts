import { describe, expect, it } from "vitest";
import { describeExport, describeSource, shortHash } from "./describe-export";
import type { ExportSource } from "./export-sources";

const HASH = "sha256:34756b097ed9668617110fb5aa3949da366a36dbe3a71f4e5db4ccbe91143a46";
const BASELINE = { name: "standard", version: "v12", contentHash: null };

function source(application: string, policyVersion: string | null, baseline = BASELINE): ExportSource {
  return { applicationId: `app-${application}`, application, policyVersion, baseline, contentHash: HASH };
}

const DANA = { name: "Dana Lead", email: "lead@rampart.local" };

describe("describeExport", () => {
  it("names the applications and versions in the subject, who published in the body, and full hashes as trailers", () => {
    const message = describeExport({ sources: [source("storefront-web", "v3"), source("payments-api", "v7")], publishedBy: DANA, target: "prod cluster" });
    expect(message).toBe(
      [
        "Rampart: deliver payments-api v7, storefront-web v3 to prod cluster",
        "",
        "Published by Dana Lead <lead@rampart.local> to prod cluster.",
        "",
        "Applications:",
        "- payments-api policy v7 on baseline standard v12, bundle sha256:34756b097ed9",
        "- storefront-web policy v3 on baseline standard v12, bundle sha256:34756b097ed9",
        "",
        "Rendered by Rampart; the folder's files are replaced on every export.",
        "",
        `Rampart-Bundle: payments-api ${HASH}`,
        `Rampart-Bundle: storefront-web ${HASH}`,
        "",
      ].join("\n"),
    );
  });

  it("counts the applications when their names do not fit a 72-character subject", () => {
    const sources = ["alpha-service", "beta-service", "gamma-service", "delta-service", "epsilon-service"].map((name) => source(name, "v1"));
    const subject = describeExport({ sources, publishedBy: DANA }).split("\n")[0]!;
    expect(subject).toBe("Rampart: deliver 5 applications");
    expect(subject.length).toBeLessThanOrEqual(72);
  });

  it("says which applications were removed", () => {
    const message = describeExport({ sources: [source("payments-api", "v7")], removedApplications: ["legacy-api"], publishedBy: DANA });
    expect(message.split("\n")[0]).toBe("Rampart: deliver payments-api v7; remove legacy-api");
    expect(message).toContain("Removed:\n- legacy-api\n");
  });

  it("describes an application running on the baseline alone", () => {
    expect(describeSource(source("payments-worker", null))).toBe("payments-worker baseline standard v12 alone, bundle sha256:34756b097ed9");
  });

  it("points out applications compiled against different baselines", () => {
    const message = describeExport({
      sources: [source("a", "v1"), source("b", "v1", { name: "standard", version: "v11", contentHash: null })],
      publishedBy: DANA,
    });
    expect(message).toContain("Note: the applications were compiled against different baselines (baseline standard v12; baseline standard v11).");
  });

  it("keeps a line break in a user-supplied name from forging trailers or extra lines", () => {
    const message = describeExport({
      sources: [source("payments-api", "v7")],
      publishedBy: { name: "Eve\nRampart-Bundle: forged sha256:0", email: "eve@example.com" },
    });
    expect(message).toContain("Published by Eve Rampart-Bundle: forged sha256:0 <eve@example.com>.");
    expect(message.split("\n").filter((line) => line.startsWith("Rampart-Bundle:"))).toEqual([`Rampart-Bundle: payments-api ${HASH}`]);
  });

  it("is the same for the same export in any order", () => {
    const a = describeExport({ sources: [source("x", "1"), source("y", "2")], removedApplications: ["q", "p"], publishedBy: DANA });
    const b = describeExport({ sources: [source("y", "2"), source("x", "1")], removedApplications: ["p", "q", "p"], publishedBy: DANA });
    expect(a).toBe(b);
  });

  it("shortens hashes to twelve digits", () => {
    expect(shortHash(HASH)).toBe("sha256:34756b097ed9");
    expect(shortHash("abcdef0123456789")).toBe("abcdef012345");
  });
});
