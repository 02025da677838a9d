// Calendar arithmetic for exception expiry. Expiry dates are whole UTC days: an
// exception that expires on 2027-01-31 is honoured through the end of that day.

export function utcDate(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export function daysBetween(fromDate: string, toDate: string): number {
  return Math.round((Date.parse(`${toDate}T00:00:00Z`) - Date.parse(`${fromDate}T00:00:00Z`)) / 86_400_000);
}

export function isExpired(expires: string, now: Date): boolean {
  return expires < utcDate(now);
}

/** The first instant at which an exception no longer applies. */
export function expiryInstant(expires: string): string {
  return new Date(Date.parse(`${expires}T00:00:00Z`) + 86_400_000).toISOString();
}
