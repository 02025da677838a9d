// The one error type of the portal. Domain code throws AppError with a stable code;
// lib/api/problem.ts maps codes to HTTP status and problem+json in one place.

export const ERROR_CODES = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  VALIDATION_FAILED: 422,
  PRECONDITION_REQUIRED: 428,
  PRECONDITION_FAILED: 412,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  DATABASE_UNAVAILABLE: 503,
  // A feature whose configuration is missing (e.g. no signing key): refused, never degraded.
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** A problem with one field; line and column (1-based) when the field came from a text document such as YAML. */
export type FieldError = { path: string; message: string; line?: number; column?: number };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fieldErrors: FieldError[];
  readonly details: Record<string, unknown>;
  /**
   * The audit action under which the domain already recorded this refusal (e.g. a refused
   * approval as `policy.version.approve`), so the API layer does not record it a second time.
   */
  auditedAs: string | null = null;

  constructor(code: ErrorCode, message: string, options: { fieldErrors?: FieldError[]; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.fieldErrors = options.fieldErrors ?? [];
    this.details = options.details ?? {};
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
