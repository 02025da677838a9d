// Exponential backoff with full jitter (AWS's "full jitter": a random wait up
// to base·2^attempt, capped), only for failures that may pass on their own:
// 5xx, 429 (honouring Retry-After), and connections refused or reset while a
// rollout is under way. Anything the server decided (401, 403, 404, 409, 422)
// is final at once.

import { classifyKubeError, type ClusterError, type ObjectLabel } from "./cluster-error";

export interface RetryOptions {
  /** Total attempts, the first included (default 5). */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Injected in tests; defaults to Math.random. */
  random?: () => number;
}

export interface Retried<T> {
  value: T;
  attempts: number;
}

export class RetriesExhausted extends Error {
  constructor(
    readonly error: ClusterError,
    readonly attempts: number,
  ) {
    super(error.message);
  }
}

export async function retryTransient<T>(
  operation: () => Promise<T>,
  options: RetryOptions & { ref?: ObjectLabel; server?: string; isRetryable?: (error: ClusterError) => boolean } = {},
): Promise<Retried<T>> {
  const attempts = Math.max(1, options.attempts ?? 5);
  const base = options.baseDelayMs ?? 250;
  const max = options.maxDelayMs ?? 4000;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await operation(), attempts: attempt };
    } catch (raw) {
      const error = classifyKubeError(raw, { ...(options.ref ? { ref: options.ref } : {}), ...(options.server ? { server: options.server } : {}) });
      const retryable = error.transient || (options.isRetryable?.(error) ?? false);
      if (!retryable || attempt >= attempts) throw new RetriesExhausted(error, attempt);
      const ceiling = Math.min(max, base * 2 ** (attempt - 1));
      const wait = error.retryAfterSeconds !== null ? Math.min(max, error.retryAfterSeconds * 1000) : Math.round(random() * ceiling);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
