/**
 * The sync status a store shows its app: where the connection is, how much is not confirmed yet,
 * and the last thing that went wrong. Plain data (the error in its wire form), because it travels
 * from the leader (maybe a worker) to every tab.
 *
 * Phases: `disabled` (no sync configured) · `connecting` (socket opening, hello sent) · `syncing`
 * (welcomed: catching up, or pushing) · `synced` (caught up, nothing pending, no push in flight) ·
 * `offline` (no connection; a reconnect is scheduled) · `stopped` (gave up: auth refused, protocol
 * version, server reset; local work goes on, nothing is sent until the store is opened again).
 */
import type { LsErrorWire } from '../core/errors.ts';

export type SyncPhase = 'disabled' | 'connecting' | 'syncing' | 'synced' | 'offline' | 'stopped';

export interface SyncStatus {
  readonly phase: SyncPhase;
  /** Connected and welcomed by the server. */
  readonly online: boolean;
  /** Synced events not confirmed by the server yet. */
  readonly pending: number;
  /** The last seqNum the server confirmed. */
  readonly upstreamHead: number;
  /** Reconnect attempts since the last working connection. */
  readonly attempt: number;
  readonly lastError?: LsErrorWire;
}

export const DISABLED_SYNC_STATUS: SyncStatus = Object.freeze({ phase: 'disabled', online: false, pending: 0, upstreamHead: 0, attempt: 0 });

/** A value with subscribers that are called on every change (not at subscribe time). */
export class SyncStatusCell {
  #value: SyncStatus;
  readonly #listeners = new Set<(s: SyncStatus) => void>();
  readonly #onListenerError: (err: unknown) => void;

  constructor(initial: SyncStatus, onListenerError: (err: unknown) => void) {
    this.#value = initial;
    this.#onListenerError = onListenerError;
  }

  get value(): SyncStatus {
    return this.#value;
  }

  /** Replaces the status; listeners run only when a field changed. */
  set(next: SyncStatus): void {
    if (sameStatus(this.#value, next)) return;
    this.#value = next;
    for (const l of [...this.#listeners]) {
      try {
        l(next);
      } catch (err) {
        this.#onListenerError(err);
      }
    }
  }

  subscribe(listener: (s: SyncStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

function sameStatus(a: SyncStatus, b: SyncStatus): boolean {
  return a.phase === b.phase && a.online === b.online && a.pending === b.pending && a.upstreamHead === b.upstreamHead
    && a.attempt === b.attempt && a.lastError === b.lastError;
}
