import { daysBetween, isExpired, utcDate } from "@/lib/policy-spec/policy-dates";

// How close a deny-rule exception is to its end, in the stages its owning team is warned
// at. Pure, so the sweep and its tests agree on the calendar.

/** Days ahead of expiry at which the team is warned, longest first. */
export const EXPIRY_WARNING_DAYS = [14, 3] as const;

export type ExpiryStage = `${number}d` | "expired";

/**
 * The stage an exception expiring on `expires` (a UTC date, honoured through its end) is
 * in at `now`: "expired", the tightest warning threshold it is within ("3d" with 2 days
 * left, "14d" with 10), or null while it is further away. A sweep that missed a threshold
 * (the portal was down) still sends the stage it finds, so no warning is lost; one that
 * runs twice in a stage sends nothing new (the notice table's unique key).
 */
export function expiryStageOf(expires: string, now: Date): { stage: ExpiryStage; daysLeft: number } | null {
  const daysLeft = daysBetween(utcDate(now), expires);
  if (isExpired(expires, now)) return { stage: "expired", daysLeft };
  const within = EXPIRY_WARNING_DAYS.filter((days) => daysLeft <= days);
  if (within.length === 0) return null;
  return { stage: `${Math.min(...within)}d`, daysLeft };
}
