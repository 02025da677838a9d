import { AppError, ERROR_CODES, type ErrorCode, type FieldError } from "@/lib/errors/app-error";
import { isDatabaseUnavailable } from "@/lib/db/is-database-unavailable";

const TITLES: Record<ErrorCode, string> = {
  BAD_REQUEST: "Bad request",
  UNAUTHENTICATED: "Authentication required",
  FORBIDDEN: "Forbidden",
  NOT_FOUND: "Not found",
  METHOD_NOT_ALLOWED: "Method not allowed",
  CONFLICT: "Conflict",
  PAYLOAD_TOO_LARGE: "Payload too large",
  UNSUPPORTED_MEDIA_TYPE: "Unsupported media type",
  VALIDATION_FAILED: "Validation failed",
  PRECONDITION_REQUIRED: "Precondition required",
  PRECONDITION_FAILED: "Precondition failed",
  RATE_LIMITED: "Too many requests",
  INTERNAL: "Internal error",
  DATABASE_UNAVAILABLE: "Database unavailable",
  SERVICE_UNAVAILABLE: "Service unavailable",
};

export type Problem = {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  errors?: FieldError[];
  [key: string]: unknown;
};

/** Any thrown value → the AppError it means. Unknown errors become INTERNAL (details logged, not sent). */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (isDatabaseUnavailable(error)) {
    return new AppError("DATABASE_UNAVAILABLE", "The database is unreachable; try again shortly.", { cause: error });
  }
  return new AppError("INTERNAL", "Something went wrong on our side.", { cause: error });
}

export function toProblem(error: AppError): Problem {
  return {
    type: `https://rampart.dev/problems/${error.code.toLowerCase().replaceAll("_", "-")}`,
    title: TITLES[error.code],
    status: ERROR_CODES[error.code],
    code: error.code,
    detail: error.message,
    ...(error.fieldErrors.length > 0 ? { errors: error.fieldErrors } : {}),
    ...error.details,
  };
}

export function problemResponse(error: AppError, headers: Record<string, string> = {}): Response {
  const problem = toProblem(error);
  const extra: Record<string, string> = { ...headers };
  if (error.code === "RATE_LIMITED" && typeof error.details.retryAfterSeconds === "number") {
    extra["retry-after"] = String(error.details.retryAfterSeconds);
  }
  if (error.code === "DATABASE_UNAVAILABLE") extra["retry-after"] = "5";
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store", ...extra },
  });
}
