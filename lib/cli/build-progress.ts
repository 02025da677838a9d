// What `npm start` says while `next build` runs: an estimate up front and, every 15 s,
// how long it has run and how long is probably left.
import { existsSync, readFileSync } from "node:fs";

// A first build on two cores takes about four minutes (measured: 268 s of a 288 s first
// start); afterwards the last build's duration on this machine is the better guess.
const FIRST_BUILD_SECONDS = 240;

/** How long the build will take: the last build on this machine (recorded in `file`), else the first-build figure. */
export function buildEstimate(file: string): { seconds: number; text: string } {
  const last = existsSync(file) ? Number(readFileSync(file, "utf8").trim()) : NaN;
  if (Number.isFinite(last) && last > 0) return { seconds: last, text: `the last build here took ${formatSeconds(last)}` };
  return { seconds: FIRST_BUILD_SECONDS, text: `usually 1–5 minutes, about ${formatSeconds(FIRST_BUILD_SECONDS)} on two cores; progress every 15 s` };
}

/** One progress line: elapsed time and what is left of the estimate. */
export function buildProgress(elapsedMs: number, estimateSeconds: number): string {
  const elapsed = elapsedMs / 1000;
  const left = estimateSeconds - elapsed;
  return `still building, ${formatSeconds(elapsed)} so far, ${left > 10 ? `about ${formatSeconds(left)} left` : "should finish soon"}`;
}

export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s < 90 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60 ? `${s % 60} s` : ""}`.trim();
}
