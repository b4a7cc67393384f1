/**
 * The in-memory adapter: the leader runs in this thread on two in-memory SQLite databases
 * (eventlog and state), with the same LeaderCore the web adapter runs in its worker. Nothing is
 * persisted. For tests, private browsing (no OPFS) and throwaway stores.
 *
 * Pushes are batched per microtask into one LeaderCore.append (one transaction), and updates are
 * delivered in a later microtask, as a real leader would, so sessions never depend on them
 * being synchronous.
 */
import { LsError } from '../core/errors.ts';
import type { LiveEvent } from '../core/live-event.ts';
import { LeaderCore } from '../leader/leader-core.ts';
import { storageError } from '../leader/storage-error.ts';
import { loadSqlite } from '../sqlite/load-sqlite.ts';
import { SqliteDatabase } from '../sqlite/sqlite-database.ts';
import type { Adapter, LeaderConnection, LeaderUpdate, StorageKind } from './adapter.ts';
import { SyncRunner, type SyncOptions } from '../leader/leader-sync-runner.ts';

export interface InMemoryAdapterOptions {
  /** Reported in the store's status; the web adapter uses it when OPFS is unavailable. */
  readonly storageNote?: string;
  /** Sync with a server (the sync client runs in this thread). */
  readonly sync?: SyncOptions;
}

export function makeInMemoryAdapter(options: InMemoryAdapterOptions = {}): Adapter {
  return async ({ schema, log, storeId, clientId, syncPayload }) => {
    const api = await loadSqlite();
    const stateDb = SqliteDatabase.openInMemory(api);
    const eventlogDb = SqliteDatabase.openInMemory(api);
    const core = new LeaderCore({ schema, stateDb, eventlogDb, ...(log === undefined ? {} : { log }) });
    const listeners = new Set<(u: LeaderUpdate) => void>();
    let queue: (readonly LiveEvent[])[] = [];
    let scheduled: Promise<void> | undefined;
    let closed = false;

    const emit = (u: LeaderUpdate): void => {
      for (const l of [...listeners]) l(u);
    };
    const drain = (): void => {
      scheduled = undefined;
      if (closed || queue.length === 0) return;
      const groups = queue;
      queue = [];
      let result: ReturnType<typeof core.append>;
      try {
        result = core.append(groups);
      } catch (err) {
        // Nothing was written: one refusal for every group of this batch.
        emit({ _tag: 'rejected', eventIds: groups.flatMap((g) => g.map((e) => e.id)), error: storageError(err).toWire() });
        return;
      }
      const appended: LiveEvent[] = [];
      result.groups.forEach((g, i) => {
        if (g.error !== undefined) emit({ _tag: 'rejected', eventIds: groups[i]!.map((e) => e.id), error: g.error.toWire() });
        else for (const e of g.events) appended.push(stripStored(e));
      });
      if (appended.length > 0) emit({ _tag: 'appended', events: appended, head: result.head });
      sync?.notify();
    };
    const sync = options.sync === undefined ? undefined : new SyncRunner({
      core, storeId, clientId, sync: options.sync,
      ...(syncPayload === undefined ? {} : { payload: syncPayload }),
      onAppended: (events) => emit({ _tag: 'appended', events: events.map(stripStored), head: core.head }),
      onReset: (rebase) => emit(rebase === undefined ? { _tag: 'reset', ...core.snapshot() } : { _tag: 'rebase', ...rebase, head: core.head, epoch: core.logEpoch }),
      onStatus: (status) => emit({ _tag: 'sync-status', status }),
      onError: (err) => log?.('warn', err.message),
      ...(log === undefined ? {} : { log }),
    });
    sync?.start();

    const storage: StorageKind = 'memory';
    const connection: LeaderConnection = {
      status: { storage, isLeaderTab: true, ...(options.storageNote === undefined ? {} : { storageNote: options.storageNote }) },
      async boot() {
        return core.snapshot();
      },
      push(groups) {
        if (closed) throw new LsError('LS_STORE_SHUTDOWN', 'The leader is closed; this store was shut down.');
        queue.push(...groups);
        scheduled ??= Promise.resolve().then(drain);
      },
      resync() {
        emit({ _tag: 'reset', ...core.snapshot(), epoch: core.logEpoch });
      },
      subscribe(cb) {
        listeners.add(cb);
        return () => listeners.delete(cb);
      },
      get syncStatus() {
        return sync?.status;
      },
      async flush(flushOptions) {
        await scheduled;
        if (flushOptions?.upstream === true && sync !== undefined) await sync.whenSynced();
      },
      async exportDatabases() {
        return { state: stateDb.serialize(), eventlog: eventlogDb.serialize() };
      },
      async close() {
        if (closed) return;
        await scheduled;
        closed = true;
        sync?.close();
        listeners.clear();
        stateDb.close();
        eventlogDb.close();
      },
    };
    return connection;
  };
}

function stripStored(e: LiveEvent & { clientOnly?: boolean }): LiveEvent {
  const { clientOnly: _drop, ...rest } = e;
  return rest;
}
