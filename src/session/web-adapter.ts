/**
 * `makePersistedAdapter(options)`: the web adapter (LiveStore's makePersistedAdapter without the
 * worker files: it ships its own). Every tab keeps an in-memory SQLite copy of the state; one tab
 * per store, elected by Web Lock, runs the leader worker that owns the OPFS databases.
 *
 *   tab ──(MessagePort via SharedWorker switchboard, or BroadcastChannel)──▶ leader worker
 *   leader tab ──(MessagePort to its own worker)──────────────────────────▶ leader worker
 *
 * The worker imports the schema from `schemaUrl` (a module exporting `schema`), since functions
 * (materializers) cannot be posted. Fallbacks, each visible in `store.storage`: no SharedWorker →
 * BroadcastChannel; no OPFS → an in-memory leader (still shared by the tabs); no Web Locks or
 * Worker (not a browser page) → the in-process in-memory adapter.
 */
import { LsError } from '../core/errors.ts';
import { PROTOCOL_VERSION, type LeaderApi, type LeaderWorkerInit } from '../rpc/protocol.ts';
import { RpcClient } from '../rpc/rpc-client.ts';
import { isOpfsBusy, removeOpfsEntry } from '../sqlite/opfs-vfs.ts';
import type { Adapter, AdapterArgs, LeaderConnection } from './adapter.ts';
import { makeInMemoryAdapter } from './in-memory-adapter.ts';
import { WebLeaderConnection } from './web-adapter-connection.ts';
import { LeaderElection } from './web-adapter-election.ts';
import { profileClientId, tabSessionId } from './web-adapter-ids.ts';
import { broadcastLink, type LeaderLink } from './web-adapter-links.ts';
import { switchboardClient, type SwitchboardClient } from './web-adapter-switchboard.ts';

/** A Worker constructor, as bundlers give for `import LsWorker from './ls.worker.ts?worker'`. */
export type LeaderWorkerConstructor = new (options?: { name?: string }) => Worker;

export type PersistedAdapterOptions = PersistedAdapterCommon & (
  /** Module URL whose `schema` (or default) export is the store's schema: `new URL('./schema.ts', import.meta.url)`. */
  | { readonly schemaUrl: string | URL; readonly worker?: undefined }
  /**
   * Your own worker file, for bundled production builds (bundlers do not compile a module that is
   * only referenced by URL): `makeWorker({ schema })` in `ls.worker.ts`, imported with `?worker`.
   */
  | { readonly worker: LeaderWorkerConstructor; readonly schemaUrl?: undefined }
);

interface PersistedAdapterCommon {
  /** Default `{ type: 'opfs' }`; `directory` defaults to `ls-elements-<storeId>`. */
  readonly storage?: { readonly type?: 'opfs'; readonly directory?: string } | { readonly type: 'memory' };
  /** Deletes this store's persisted data when this tab starts the leader (development). */
  readonly resetPersistence?: boolean;
  /** Override the shipped worker entry points (e.g. for a CDN build). `false`: never use a SharedWorker. */
  readonly workerUrl?: string | URL;
  readonly sharedWorkerUrl?: string | URL | false;
  /** Where the leader worker finds wa-sqlite.wasm, when not next to the loader. */
  readonly wasmUrl?: string | URL;
  /**
   * Sync with a server: the leader worker runs the sync client. createStorePromise's syncPayload
   * goes with it (JSON). A conflict hook goes to makeWorker({ schema, onConflict }).
   */
  readonly sync?: { readonly url: string };
}

export interface PersistedAdapter extends Adapter {
  /** This tab's session id for a store: kept across reloads, new in a duplicated tab. */
  tabSessionId(storeId: string): Promise<string>;
  /** This browser profile's client id. */
  clientId(): string;
}

export const leaderLockName = (storeId: string): string => `ls:leader:${storeId}`;
const broadcastName = (storeId: string): string => `ls:leader-bc:${storeId}`;

export function makePersistedAdapter(options: PersistedAdapterOptions): PersistedAdapter {
  const adapter = async (args: AdapterArgs): Promise<LeaderConnection> => {
    if (!isBrowserPage()) {
      return makeInMemoryAdapter({ storageNote: 'Not a browser page with Worker and Web Locks: data lives in memory in this thread.' })(args);
    }
    if (options.schemaUrl === undefined && options.worker === undefined) {
      throw new LsError('LS_INVALID_ARGUMENT', "makePersistedAdapter needs schemaUrl, the URL of a module that exports your schema: makePersistedAdapter({ schemaUrl: new URL('./schema.ts', import.meta.url) }), or worker, a Worker constructor whose file calls makeWorker({ schema }).");
    }
    const { storeId } = args;
    const storage = options.storage ?? {};
    const directory = ('directory' in storage ? storage.directory : undefined) ?? `ls-elements-${storeId}`;
    const memoryReason = storage.type === 'memory'
      ? 'storage: { type: "memory" } was asked for: data lives in the leader worker\'s memory.'
      : hasOpfs() ? undefined : 'OPFS is unavailable (private browsing?): data lives in the leader worker\'s memory and is lost when the leader tab closes.';
    const switchboard = sharedWorkerFactory(options.sharedWorkerUrl);
    const sb: SwitchboardClient | undefined = switchboard === undefined ? undefined : switchboardClient(switchboard, args.log);
    const init = ({ aliveLock, tabLock }: { aliveLock: string; tabLock: string }): LeaderWorkerInit => ({
      t: 'init', v: PROTOCOL_VERSION, storeId, schemaUrl: options.schemaUrl === undefined ? '' : String(options.schemaUrl), schemaHash: args.schema.hash,
      storage: memoryReason === undefined ? 'opfs' : 'memory', directory, resetPersistence: options.resetPersistence === true,
      aliveLock, tabLock, broadcastChannel: broadcastName(storeId),
      ...(memoryReason === undefined ? {} : { storageNote: memoryReason }),
      ...(options.wasmUrl === undefined ? {} : { wasmUrl: String(options.wasmUrl) }),
      ...(options.sync === undefined ? {} : { sync: { url: options.sync.url, ...(args.syncPayload === undefined ? {} : { payload: args.syncPayload }) } }),
      clientId: args.clientId,
    });
    const election = new LeaderElection({
      storeId, lockName: leaderLockName(storeId), spawn: () => (options.worker === undefined ? spawnLeaderWorker(options.workerUrl, storeId) : new options.worker({ name: `ls-leader-${storeId}` })), init,
      ...(sb === undefined ? {} : { switchboard: sb }),
      ...(args.log === undefined ? {} : { log: args.log }),
    });
    await election.start();

    const connect = async (signal: AbortSignal): Promise<LeaderLink> => {
      const own = await election.ownLink();
      if (own !== undefined) return own;
      if (sb?.available === true) return sb.link(storeId, signal);
      return broadcastLink(broadcastName(storeId), args.sessionId, signal);
    };
    const connection = new WebLeaderConnection({
      connect,
      hello: { schemaHash: args.schema.hash, sessionId: args.sessionId, clientId: args.clientId },
      isLeaderTab: () => election.isLeader,
      onClose: () => election.close(),
      reset: () => resetStore(storeId, directory, connect),
      ...(args.log === undefined ? {} : { log: args.log }),
    });
    return connection;
  };
  return Object.assign(adapter, { tabSessionId, clientId: profileClientId });
}

/** Deletes the store's data: by the leader of another tab if there is one, else from here. */
async function resetStore(storeId: string, directory: string, connect: (signal: AbortSignal) => Promise<LeaderLink>): Promise<void> {
  const done = await navigator.locks.request(leaderLockName(storeId), { ifAvailable: true }, async (lock) => {
    if (lock === null) return false;
    if (hasOpfs()) await removeWithRetry(`/${directory}`);
    return true;
  });
  if (done) return;
  const link = await connect(AbortSignal.timeout(10_000));
  const client = new RpcClient<LeaderApi>(link.endpoint);
  try {
    await client.call('reset');
  } finally {
    client.close();
    link.dispose();
  }
}

/** The old leader worker may still be releasing its OPFS handles for a moment. */
async function removeWithRetry(path: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await removeOpfsEntry(path);
    } catch (err) {
      if (!isOpfsBusy(err) || attempt >= 20) throw new LsError('LS_STORAGE_ERROR', `Could not delete ${path} from OPFS: close the other tabs of this site and retry.`, { cause: err });
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}

function isBrowserPage(): boolean {
  return typeof Worker === 'function' && typeof navigator !== 'undefined' && navigator.locks !== undefined && typeof MessageChannel === 'function';
}

function hasOpfs(): boolean {
  return typeof navigator.storage?.getDirectory === 'function';
}

function spawnLeaderWorker(url: string | URL | undefined, storeId: string): Worker {
  const name = `ls-leader-${storeId}`;
  // Written out in full so that bundlers (Vite) see the worker entry and emit it.
  if (url === undefined) return new Worker(new URL('../../workers/leader.worker.ts', import.meta.url), { type: 'module', name });
  return new Worker(url, { type: 'module', name });
}

function sharedWorkerFactory(url: string | URL | false | undefined): (() => SharedWorker) | undefined {
  if (url === false || typeof SharedWorker !== 'function') return undefined;
  const name = 'ls-elements-switchboard';
  if (url === undefined) return () => new SharedWorker(new URL('../../workers/shared.worker.ts', import.meta.url), { type: 'module', name });
  return () => new SharedWorker(url, { type: 'module', name });
}
