// The one error a policy load can end in: every problem found, each with the
// file and field it concerns, so a refused reload says exactly what to fix.

export interface PolicyProblem {
  /** The file (or "portal", "gateway config") the problem is in. */
  source: string;
  /** JSON path of the field, "$" for the whole document. */
  path: string;
  message: string;
  line?: number;
}

export class PolicyLoadError extends Error {
  constructor(readonly problems: readonly PolicyProblem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "PolicyLoadError";
  }
}

export function formatProblem(problem: PolicyProblem): string {
  const where = problem.line === undefined ? problem.source : `${problem.source}:${problem.line}`;
  return problem.path === "$" ? `${where}: ${problem.message}` : `${where}: ${problem.path}: ${problem.message}`;
}

export function failLoad(source: string, message: string, path = "$"): never {
  throw new PolicyLoadError([{ source, path, message }]);
}
