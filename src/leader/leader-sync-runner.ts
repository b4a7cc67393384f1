/**
 * Runs sync for one leader: the LeaderSync host plus the SyncClient I/O loop, wired to whoever
 * serves the tabs (the in-memory adapter, or LeaderHost in the worker). `notify()` after local
 * appends; `whenSynced()` resolves once nothing synced is pending (flush({ upstream: true })).
 */
import { LsError } from '../core/errors.ts';
import type { JsonValue } from '../core/sync-protocol.ts';
import type { LiveEvent } from '../core/live-event.ts';
import type { OnConflict } from '../core/sync-state.ts';
import { SyncClient } from '../sync/sync-client.ts';
import type { SyncWebSocketConstructor } from '../sync/sync-socket.ts';
import type { BackoffOptions } from '../sync/backoff.ts';
import type { SyncStatus } from '../sync/sync-status.ts';
import type { StoredEvent } from './eventlog.ts';
import type { LeaderCore } from './leader-core.ts';
import { LeaderSync, type RebaseChanges } from './leader-sync.ts';

/** How a store syncs: `makePersistedAdapter({ sync })` / `makeInMemoryAdapter({ sync })`. */
export interface SyncOptions {
  /** The sync server's WebSocket URL, e.g. ws://127.0.0.1:8787. */
  readonly url: string;
  /** At rebase: keep, drop or replace our pending events that meet others' (default: keep all). */
  readonly onConflict?: OnConflict;
  readonly backoff?: BackoffOptions;
  readonly WebSocket?: SyncWebSocketConstructor;
}

export interface SyncRunnerOptions {
  readonly core: LeaderCore;
  readonly storeId: string;
  readonly clientId: string;
  readonly payload?: unknown;
  readonly sync: SyncOptions;
  readonly onAppended: (events: readonly StoredEvent[], writtenTables: ReadonlySet<string>) => void;
  readonly onReset: (rebase?: RebaseChanges) => void;
  readonly onStatus: (status: SyncStatus) => void;
  readonly onError?: (err: LsError) => void;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string, data?: unknown) => void;
}

export class SyncRunner {
  readonly client: SyncClient;
  readonly #waiters = new Set<(err?: LsError) => void>();

  constructor(o: SyncRunnerOptions) {
    if (typeof o.sync?.url !== 'string' || !/^wss?:\/\//.test(o.sync.url)) {
      throw new LsError('LS_INVALID_ARGUMENT', `sync.url must be a ws:// or wss:// URL, got ${String(o.sync?.url)}.`);
    }
    const host = new LeaderSync({
      core: o.core,
      ...(o.sync.onConflict === undefined ? {} : { onConflict: o.sync.onConflict }),
      onAppended: o.onAppended,
      onReset: o.onReset,
      onReport: (r) => {
        for (const e of r.quarantined ?? []) o.onError?.(e);
        if (r.hookError !== undefined) o.onError?.(r.hookError);
        if ((r.dropped?.length ?? 0) > 0) o.log?.('info', `the conflict hook dropped ${r.dropped!.length} pending event(s): ${r.dropped!.map((e: LiveEvent) => e.id).join(', ')}`);
      },
    });
    this.client = new SyncClient({
      url: o.sync.url, storeId: o.storeId, clientId: o.clientId, host,
      ...(o.payload === undefined ? {} : { payload: o.payload as JsonValue }),
      ...(o.sync.WebSocket === undefined ? {} : { WebSocket: o.sync.WebSocket }),
      ...(o.sync.backoff === undefined ? {} : { backoff: o.sync.backoff }),
      ...(o.onError === undefined ? {} : { onError: o.onError }),
      ...(o.log === undefined ? {} : { log: o.log }),
    });
    this.client.subscribeStatus((s) => {
      o.onStatus(s);
      if (s.pending === 0) for (const w of [...this.#waiters]) w();
      else if (s.phase === 'stopped') for (const w of [...this.#waiters]) w(new LsError(s.lastError?.code ?? 'LS_INTERNAL', `sync stopped with events still unconfirmed: ${s.lastError?.message ?? 'see store.syncStatus'}`));
    });
  }

  get status(): SyncStatus {
    return this.client.status;
  }

  start(): void {
    this.client.start();
  }

  notify(): void {
    this.client.notify();
  }

  /** Resolves when the server confirmed every synced event appended so far; rejects if sync stops first. */
  whenSynced(): Promise<void> {
    if (this.client.status.pending === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (err?: LsError): void => {
        this.#waiters.delete(done);
        if (err === undefined) resolve();
        else reject(err);
      };
      this.#waiters.add(done);
    });
  }

  close(): void {
    this.client.close();
    for (const w of [...this.#waiters]) w();
  }
}
