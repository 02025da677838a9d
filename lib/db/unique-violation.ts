// Prisma reports a unique-constraint violation as P2002; through the pg driver adapter
// the constraint's fields may sit in meta.target or meta.driverAdapterError.cause.
export function isUniqueViolation(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const e = error as { code?: unknown; cause?: unknown };
  return e.code === "P2002" || e.code === "23505" || (e.cause ? isUniqueViolation(e.cause) : false);
}
