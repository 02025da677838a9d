import { AppError } from "./app-error";

/**
 * The CONFLICT for an optimistic-concurrency race: the row is no longer at the version the
 * caller edited. `current` is read after the failed write, so it names the version that won.
 */
export function versionConflict(expected: number, current: number): AppError {
  return new AppError(
    "CONFLICT",
    `Someone else changed this since you loaded it (you edited version ${expected}, it is now at ${current}). Reload and apply your change again.`,
    { details: { currentVersion: current } },
  );
}
