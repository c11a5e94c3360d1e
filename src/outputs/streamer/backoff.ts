/**
 * How long to wait before reconnect attempt n (1-based): doubling from `baseMs` up to `maxMs`, spread by
 * up to ±jitter so that many clients dropped by one server outage do not all return in the same second.
 * `random` is injected (a value in [0, 1)) so the delays are testable.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** Fraction of the delay, in [0, 1). */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 30_000, jitter: 0.2 };

export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`reconnect attempt must be a positive integer, got ${attempt}`);
  // 2 ** 30 already exceeds any sane maximum; capping the exponent keeps the number finite.
  const raw = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt - 1, 30));
  const spread = raw * policy.jitter * (random() * 2 - 1);
  return Math.round(Math.max(0, raw + spread));
}
