/** How a decision record is cited: "ADR-0007". */
export function decisionReference(number: number): string {
  return `ADR-${String(number).padStart(4, "0")}`;
}
