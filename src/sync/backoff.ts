/**
 * Reconnect delays: capped exponential backoff with "equal jitter". Attempt n waits between half
 * and all of min(maxMs, initialMs · 2ⁿ), so a server that restarts is not hit by every client at
 * the same instant, yet no client retries at once in a tight loop (full jitter may pick ~0 ms).
 * `random` is injectable so tests can pin the delays.
 */
import { LsError } from '../core/errors.ts';

export interface BackoffOptions {
  /** First delay's upper bound in ms (default 500). */
  readonly initialMs?: number;
  /** Cap of any delay in ms (default 30 000). */
  readonly maxMs?: number;
  /** A number in [0, 1); default Math.random. */
  readonly random?: () => number;
}

export interface Backoff {
  /** Failed attempts since the last reset. */
  readonly attempt: number;
  /** The delay before the next attempt; counts the attempt. */
  next(): number;
  /** A connection worked: the next failure starts over from initialMs. */
  reset(): void;
}

export function createBackoff(options: BackoffOptions = {}): Backoff {
  const initialMs = options.initialMs ?? 500;
  const maxMs = options.maxMs ?? 30_000;
  const random = options.random ?? Math.random;
  if (!Number.isFinite(initialMs) || initialMs <= 0 || !Number.isFinite(maxMs) || maxMs < initialMs) {
    throw new LsError('LS_INVALID_ARGUMENT', `sync backoff needs 0 < initialMs ≤ maxMs, got initialMs ${initialMs} and maxMs ${maxMs}.`);
  }
  let attempt = 0;
  return {
    get attempt() {
      return attempt;
    },
    next() {
      // 2^attempt overflows to Infinity eventually; min() keeps the cap.
      const cap = Math.min(maxMs, initialMs * 2 ** attempt);
      attempt++;
      const r = Math.min(Math.max(random(), 0), 1);
      return Math.round(cap / 2 + (r * cap) / 2);
    },
    reset() {
      attempt = 0;
    },
  };
}
