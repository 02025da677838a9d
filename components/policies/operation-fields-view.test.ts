import { describe, expect, it } from "vitest";
import type { OperationField } from "@/lib/policy-spec";
import { profileLabel } from "./operation-fields-view";

const field = (cls: OperationField["class"]): OperationField => ({ in: "body", name: "/body", mediaType: "application/json", class: cls, maxLength: null });

describe("profileLabel", () => {
  it("says what applies to each kind of field", () => {
    expect(profileLabel(field({ kind: "content", profile: "markdown" }), ["sqli", "rce"])).toBe("markdown profile (free text; sqli, rce give way)");
    expect(profileLabel(field({ kind: "content", profile: "text" }), [])).toBe("text profile (free text; the baseline relaxes nothing)");
    expect(profileLabel(field({ kind: "identifier", reason: "format uuid" }), ["sqli"])).toBe("identifier (format uuid): type-checked, every deny family");
    expect(profileLabel(field({ kind: "undescribed" }), ["sqli"])).toBe("undescribed: full baseline");
  });
});
