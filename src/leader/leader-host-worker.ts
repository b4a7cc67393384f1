/**
 * The leader worker's life, run by workers/leader.worker.ts in a dedicated worker of the tab that
 * won the election (Chromium offers neither Worker nor sync access handles in a SharedWorker).
 *
 *   init ─▶ take the alive lock (report `started`) ─▶ import the schema module ─▶ open storage ─▶ LeaderHost
 *        ─▶ serve: `connect` ports (own tab, switchboard control port) and BroadcastChannel
 *           finders ─▶ report `ready`                    (or `failed`, `retry` when worth it)
 *
 * The alive lock is held until the worker dies: sessions and the switchboard request it in shared
 * mode to learn that this leader is gone. The tab lock is held by the spawning tab: granted to the
 * worker means the tab is gone, and the worker exits. `shutdown` (the tab's store closes, or the
 * tab is gone) closes the databases first, so the next leader gets the OPFS handles at once.
 */
import { LsError, toLsError } from '../core/errors.ts';
import type { LsSchema } from '../core/make-schema.ts';
import { createBroadcastEndpoint } from '../rpc/endpoint.ts';
import { PROTOCOL_VERSION, type BroadcastMessage, type ConnectMessage, type ControlMessage, type LeaderWorkerInit, type LeaderWorkerReport } from '../rpc/protocol.ts';
import { loadSqlite } from '../sqlite/load-sqlite.ts';
import { isOpfsBusy } from '../sqlite/opfs-vfs.ts';
import { SqliteError } from '../sqlite/sqlite-error.ts';
import { LeaderCore } from './leader-core.ts';
import { LeaderHost } from './leader-host.ts';
import { SyncRunner } from './leader-sync-runner.ts';
import type { OnConflict } from '../core/sync-state.ts';
import { openLeaderStorage, type LeaderStorage } from './leader-host-storage.ts';

/** The parts of a DedicatedWorkerGlobalScope used here. */
export interface LeaderWorkerScope {
  postMessage(message: LeaderWorkerReport): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  close(): void;
}

export interface LeaderWorkerOptions {
  /** A schema bundled into this worker (makeWorker); without it the worker imports init.schemaUrl. */
  readonly schema?: LsSchema;
  /** The sync conflict hook (functions cannot be posted, so it lives in the worker). */
  readonly onConflict?: OnConflict;
}

export function startLeaderWorker(scope: LeaderWorkerScope, options: LeaderWorkerOptions = {}): void {
  let host: LeaderHost | undefined;
  let storage: LeaderStorage | undefined;
  let sync: SyncRunner | undefined;
  const early: MessagePort[] = [];
  const report = (m: LeaderWorkerReport): void => scope.postMessage(m);
  const log = (level: 'info' | 'warn' | 'error', message: string, data?: unknown): void =>
    report({ t: 'log', level, message: data === undefined ? message : `${message}: ${data instanceof Error ? data.message : String(data)}` });
  const onConnect = (m: unknown): void => {
    const c = m as Partial<ConnectMessage> | undefined;
    if (c?.t !== 'connect' || !(c.port instanceof MessagePort)) return;
    if (host === undefined) early.push(c.port);
    else host.accept(c.port);
  };
  const shutdown = (): void => {
    sync?.close();
    host?.close();
    storage?.close();
    host = undefined;
    storage = undefined;
    scope.close();
  };

  scope.addEventListener('message', (event) => {
    const m = event.data as { t?: unknown } | undefined;
    if (m?.t === 'init') {
      start(m as LeaderWorkerInit).then(
        (ready) => {
          host = ready.host;
          storage = ready.storage;
          sync = ready.sync;
          for (const p of early.splice(0)) host.accept(p);
          report({ t: 'ready', storage: ready.storage.kind, ...(ready.storage.note === undefined ? {} : { storageNote: ready.storage.note }) });
        },
        (err: unknown) => {
          const error = toLsError(err, 'LS_STORAGE_ERROR', 'the leader could not start');
          report({ t: 'failed', error: error.toWire(), retry: worthRetrying(err) });
        },
      );
    } else if (m?.t === 'connect') onConnect(m);
    else if (m?.t === 'control') {
      const port = (m as Partial<ControlMessage>).port;
      if (port instanceof MessagePort) {
        port.addEventListener('message', (e) => onConnect(e.data));
        port.start();
      }
    }
    else if (m?.t === 'shutdown') shutdown();
  });

  async function start(init: LeaderWorkerInit): Promise<{ host: LeaderHost; storage: LeaderStorage; sync: SyncRunner | undefined }> {
    if (init.v !== PROTOCOL_VERSION) throw new LsError('LS_PROTOCOL_VERSION', `The leader worker speaks protocol ${PROTOCOL_VERSION}, the tab ${init.v}: reload.`);
    await holdLock(init.aliveLock);
    report({ t: 'started' });
    // Exit as soon as the tab that spawned this worker is gone (see LeaderWorkerInit.tabLock).
    navigator.locks.request(init.tabLock, () => shutdown()).catch(() => {});
    // The schema module and the wasm load side by side.
    const loadingSqlite = loadSqlite(init.wasmUrl === undefined ? {} : { wasmUrl: init.wasmUrl });
    loadingSqlite.catch(() => {}); // awaited just below
    const schema = options.schema === undefined ? await importSchema(init.schemaUrl, init.schemaHash) : checkBundled(options.schema, init.schemaHash);
    const api = await loadingSqlite;
    const st = await openLeaderStorage({
      api, want: init.storage, directory: init.directory, resetPersistence: init.resetPersistence, log,
      ...(init.storageNote === undefined ? {} : { note: init.storageNote }),
    });
    let core: LeaderCore;
    try {
      core = new LeaderCore({ schema, stateDb: st.stateDb, eventlogDb: st.eventlogDb, log });
    } catch (err) {
      st.close();
      throw err;
    }
    let runner: SyncRunner | undefined;
    const h: LeaderHost = new LeaderHost({
      core, eventlogDb: st.eventlogDb, leaderId: init.aliveLock, storage: st.kind, log,
      afterAppend: () => runner?.notify(),
      syncStatus: () => (runner === undefined ? undefined : { ...runner.status }) as Readonly<Record<string, unknown>>,
      flushUpstream: async () => { await runner?.whenSynced(); },
      ...(st.note === undefined ? {} : { storageNote: st.note }),
      reset: async () => {
        runner?.close();
        h.stopWrites();
        await st.remove();
        // Close after the reply went out: the alive lock is released and a new, empty leader starts.
        setTimeout(() => {
          h.close();
          scope.close();
        }, 0);
      },
    });
    if (init.sync !== undefined) {
      runner = new SyncRunner({
        core, storeId: init.storeId, clientId: init.clientId ?? 'unknown-client',
        sync: { url: init.sync.url, ...(options.onConflict === undefined ? {} : { onConflict: options.onConflict }) },
        ...(init.sync.payload === undefined ? {} : { payload: init.sync.payload }),
        onAppended: (events) => h.broadcast({ _tag: 'appended', events: events.map(({ clientOnly: _c, ...e }) => e), head: core.head }),
        onReset: (rebase) => h.broadcastReset(rebase),
        onStatus: (status) => h.broadcast({ _tag: 'sync-status', status }),
        onError: (err) => log('warn', `sync: ${err.code}: ${err.message}`),
        log,
      });
      runner.start();
    }
    listenBroadcast(init.broadcastChannel, `leader:${init.aliveLock}`, init.aliveLock, h);
    return { host: h, storage: st, sync: runner };
  }
}

/**
 * Failures another worker may not have: OPFS handles still held by the dead leader (DOMExceptions,
 * SQLITE_BUSY / CANTOPEN / IOERR from the VFS). A bad schema module or SQL error would only repeat.
 */
function worthRetrying(err: unknown): boolean {
  if (isOpfsBusy(err) || !(err instanceof LsError)) return true;
  return err instanceof SqliteError && [5, 10, 14].includes(err.sqliteCode & 0xff);
}

/** Takes the lock and keeps it for the life of this worker. */
function holdLock(name: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    navigator.locks.request(name, () => {
      resolve();
      return new Promise<never>(() => {});
    }).catch(reject);
  });
}

async function importSchema(url: string, expectedHash: string): Promise<LsSchema> {
  let mod: { schema?: unknown; default?: unknown };
  try {
    mod = (await import(/* @vite-ignore */ url)) as typeof mod;
  } catch (err) {
    throw new LsError('LS_INVALID_SCHEMA', `The leader worker could not import the schema module ${url}: pass makePersistedAdapter({ schemaUrl }) a module URL that exports \`schema\`.`, { cause: err });
  }
  const schema = (mod.schema ?? mod.default) as Partial<LsSchema> | undefined;
  if (typeof schema !== 'object' || schema === null || (schema as { _tag?: unknown })._tag !== 'ls-schema') {
    throw new LsError('LS_INVALID_SCHEMA', `The module ${url} exports no \`schema\` (the result of makeSchema).`);
  }
  if (schema.hash !== expectedHash) {
    throw new LsError('LS_INVALID_SCHEMA', `The schema exported by ${url} is not the schema the page passed to createStorePromise: export the same schema from that module.`);
  }
  return schema as LsSchema;
}

function checkBundled(schema: LsSchema, expectedHash: string): LsSchema {
  if (typeof schema !== 'object' || schema === null || (schema as { _tag?: unknown })._tag !== 'ls-schema') {
    throw new LsError('LS_INVALID_SCHEMA', 'makeWorker({ schema }) needs the result of makeSchema.');
  }
  if (schema.hash !== expectedHash) {
    throw new LsError('LS_INVALID_SCHEMA', 'The schema given to makeWorker is not the schema the page passed to createStorePromise: import the same schema module in both.');
  }
  return schema;
}

/** Sessions without SharedWorker find this leader on a BroadcastChannel and talk over addresses. */
function listenBroadcast(name: string, self: string, aliveLock: string, host: LeaderHost): void {
  const channel = new BroadcastChannel(name);
  const accepted = new Set<string>();
  channel.addEventListener('message', (event) => {
    const m = event.data as BroadcastMessage | undefined;
    if (m?.t !== 'find' || m.v !== PROTOCOL_VERSION) return;
    if (!accepted.has(m.from)) {
      accepted.add(m.from);
      host.accept(createBroadcastEndpoint(channel, self, m.from));
    }
    const here: BroadcastMessage = { t: 'here', v: PROTOCOL_VERSION, to: m.from, from: self, aliveLock };
    channel.postMessage(here);
  });
  const ready: BroadcastMessage = { t: 'leader-ready', v: PROTOCOL_VERSION };
  channel.postMessage(ready);
}

/**
 * `makeWorker({ schema })` (from 'ls-elements/worker'): the body of your own leader worker file (LiveStore's name), for
 * bundled builds. In `ls.worker.ts`: `import { makeWorker } from 'ls-elements/worker';
 * import { schema } from './schema'; makeWorker({ schema });` and pass the file's Worker
 * constructor as `makePersistedAdapter({ worker })`.
 */
export function makeWorker(options: { readonly schema: LsSchema; readonly onConflict?: OnConflict }): void {
  startLeaderWorker(globalThis as unknown as LeaderWorkerScope, options);
}
