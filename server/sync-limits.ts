/**
 * The sync server's limits: defaults, the checks on options, and the lengths a message's strings
 * may have. Every limit protects the server and the other clients from one client: a frame is
 * bounded before it is parsed, a batch before it is looked at, a page before it is read.
 */
import { LsError } from '../src/core/errors.ts';

export interface SyncLimits {
  /** Largest accepted text frame, in bytes (UTF-8). Default 1 MiB. */
  readonly maxMessageBytes: number;
  /** Most events in one push. Default 1000. */
  readonly maxBatch: number;
  /** Most events in one `events` page and in `rejected.missing`. Default 500. */
  readonly pageSize: number;
  /** How long a rejected pusher holds its store (push-turns.ts). Default 2000 ms. */
  readonly reservationMs: number;
  /** Unanswered requests a connection may queue before the server stops reading it. Default 32. */
  readonly maxQueuedRequests: number;
}

export const DEFAULT_SYNC_LIMITS: SyncLimits = {
  maxMessageBytes: 1024 * 1024,
  maxBatch: 1000,
  pageSize: 500,
  reservationMs: 2000,
  maxQueuedRequests: 32,
};

/** Lengths (UTF-16 code units) of the strings in messages and events. */
export const MAX_LENGTH = {
  requestId: 64,
  storeId: 256,
  clientId: 256,
  sessionId: 256,
  eventId: 256,
  eventName: 256,
} as const;

/** Deepest nesting of arrays/objects in an event's args (deeper JSON would blow the stack later). */
export const MAX_ARGS_DEPTH = 64;

/**
 * Frames up to this size are read and answered with LS_MESSAGE_TOO_LARGE; larger ones make ws
 * close the socket (1009) before the server sees them, so a client cannot make it buffer more.
 */
export function hardFrameCap(limits: SyncLimits): number {
  return limits.maxMessageBytes * 2 + 1024;
}

export function resolveSyncLimits(given: Partial<SyncLimits>): SyncLimits {
  const limits: SyncLimits = { ...DEFAULT_SYNC_LIMITS, ...definedOnly(given) };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new LsError('LS_INVALID_ARGUMENT', `Sync server option ${name} must be a positive integer, got ${String(value)}.`);
    }
  }
  if (limits.maxMessageBytes < 1024) {
    throw new LsError('LS_INVALID_ARGUMENT', `maxMessageBytes must be at least 1024, got ${limits.maxMessageBytes}.`);
  }
  return limits;
}

function definedOnly(given: Partial<SyncLimits>): Partial<SyncLimits> {
  return Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
}
