// One line for "why can't we talk to this database", for the CLIs (npm start,
// db:migrate) that must explain themselves without a stack trace.

export function describeConnectionError(error: unknown): string {
  const e = (error ?? {}) as { code?: string; message?: string; errors?: unknown[] };
  switch (e.code) {
    case "ECONNREFUSED":
      return "connection refused (is PostgreSQL running and listening there?)";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "unknown host";
    case "ETIMEDOUT":
      return "connection timed out";
    case "3D000":
      return "the database does not exist";
    case "28P01":
    case "28000":
      return "authentication failed (check the user and password)";
    case "57P03":
      return "the server is starting up or shutting down";
  }
  // Node reports a host with several addresses (localhost: ::1 and 127.0.0.1) as an AggregateError.
  if (Array.isArray(e.errors) && e.errors.length > 0) return describeConnectionError(e.errors[0]);
  const message = e.message || String(error);
  if (/timeout/i.test(message)) return "connection timed out";
  return message.split("\n")[0] ?? "unknown error";
}

/** The URL without its password, for messages. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}
