// Linear-time checks without a wall-clock bound. A fixed "must finish in N ms"
// fails whenever the machine is busy (CI shares two cores) and says nothing
// about growth. Instead, the same work is timed on an input and on its first
// quarter run four times, back to back on the same machine: linear code does
// about the same work both ways (ratio ≈ 1), quadratic code four times as much
// on the whole input (ratio ≈ 4). Each side is the fastest of several rounds,
// the one least disturbed by other processes, and each round repeats the call
// often enough to be well above the timer's resolution. A ratio above the
// limit is measured again (up to three times, the lowest kept): quadratic
// work is above it every time, a burst of other load only now and then.

/** How much slower `fn(whole)` is than four calls of `fn(quarter)`; ≈ 1 for linear work, ≈ 4 for quadratic. */
export function growthRatio<T>(fn: (input: T) => unknown, whole: T, quarter: T, rounds = 5): number {
  let best = Infinity;
  for (let attempt = 0; attempt < 3 && best >= LINEAR_GROWTH_LIMIT; attempt++) best = Math.min(best, measureOnce(fn, whole, quarter, rounds));
  return best;
}

function measureOnce<T>(fn: (input: T) => unknown, whole: T, quarter: T, rounds: number): number {
  fn(whole);
  fn(quarter);
  // Calls per round so that a round of the whole input takes a measurable time (a few ms).
  let calls = 1;
  while (calls < 4096 && timeCalls(fn, whole, calls) < 4) calls *= 2;
  let bestWhole = Infinity;
  let bestQuarters = Infinity;
  for (let round = 0; round < rounds; round++) {
    bestWhole = Math.min(bestWhole, timeCalls(fn, whole, calls));
    bestQuarters = Math.min(bestQuarters, timeCalls(fn, quarter, calls * 4));
  }
  return bestWhole / Math.max(bestQuarters, 1e-3);
}

function timeCalls<T>(fn: (input: T) => unknown, input: T, calls: number): number {
  const started = performance.now();
  for (let i = 0; i < calls; i++) fn(input);
  return performance.now() - started;
}

/** Linear code stays near 1; quadratic reaches 4. The margin absorbs cache effects on the larger input. */
export const LINEAR_GROWTH_LIMIT = 2.5;

/**
 * Runs each candidate once on its whole input and returns the `count` slowest:
 * superlinear behaviour on a 64 KiB input dwarfs everything else, so these are
 * the ones whose growth is worth measuring.
 */
export function slowestCandidates<C>(candidates: readonly C[], run: (candidate: C) => unknown, count = 2): C[] {
  const timed = candidates.map((candidate) => {
    const started = performance.now();
    run(candidate);
    return { candidate, ms: performance.now() - started };
  });
  return timed
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count)
    .map((t) => t.candidate);
}
