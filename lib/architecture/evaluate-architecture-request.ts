import "server-only";
import type { RequestContext } from "@/lib/auth/actor";
import type { Answers } from "./answers-schema";
import { answersToSearchParams } from "./answers-search-params";
import { throttleByIp } from "./architecture-throttle";
import { evaluateAnswers } from "./evaluate-answers";

/** The public evaluation: throttled per IP, then the pure evaluation plus the shareable result link. */
export async function evaluateArchitectureRequest({ ctx, answers }: { ctx: RequestContext; answers: Answers }) {
  await throttleByIp(ctx, "evaluate");
  return { ...evaluateAnswers(answers), resultPath: resultPathFor(answers) };
}

export function resultPathFor(answers: Answers): string {
  return `/architecture/result?${answersToSearchParams(answers)}`;
}
