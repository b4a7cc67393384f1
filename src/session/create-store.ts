/**
 * `createStorePromise(...)`: boots a session. The adapter reaches (or runs) the leader, the
 * leader hands the state as a serialized SQLite image, this tab deserializes it into its own
 * in-memory database and from then on hears about every append. Boot never replays the eventlog.
 */
import { nanoid } from 'nanoid';
import { LsError } from '../core/errors.ts';
import type { LsSchema } from '../core/make-schema.ts';
import { loadSqlite, type SqliteApi } from '../sqlite/load-sqlite.ts';
import { SqliteDatabase } from '../sqlite/sqlite-database.ts';
import type { Adapter } from './adapter.ts';
import { makeInMemoryAdapter } from './in-memory-adapter.ts';
import { Store } from './store.ts';
import { makePersistedAdapter } from './web-adapter.ts';
import { StoreImpl } from './store-impl.ts';

export interface CreateStoreOptions<S extends LsSchema> {
  readonly schema: S;
  /** Identifies the store: its data, its leader lock and its sync channel. Default 'default'. */
  readonly storeId?: string;
  /**
   * How the store reaches its leader. Default: in a browser page given `schemaUrl`, the web
   * adapter (makePersistedAdapter: OPFS, one leader per store across tabs); else the in-memory one.
   */
  readonly adapter?: Adapter;
  /** URL of a module exporting this schema, for the default web adapter's leader worker. */
  readonly schemaUrl?: string | URL;
  /** Sent to the sync server's validatePayload (auth). */
  readonly syncPayload?: unknown;
  /** Runs after the store is ready and before the promise resolves (seed data, etc.). */
  readonly boot?: (store: Store<S>) => void | Promise<void>;
  /** Background failures: subscriptions that throw, a leader that refuses a commit. Default: console.error. */
  readonly onError?: (err: LsError) => void;
  readonly signal?: AbortSignal;
  readonly clientId?: string;
  readonly sessionId?: string;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string, data?: unknown) => void;
}

const STORE_ID = /^[A-Za-z0-9_.-]{1,128}$/;

declare global {
  // eslint-disable-next-line no-var
  var __debugLiveStore: Record<string, Store> | undefined;
}

export async function createStorePromise<S extends LsSchema>(options: CreateStoreOptions<S>): Promise<Store<S>> {
  const { schema } = options;
  if (typeof schema !== 'object' || schema === null || (schema as { _tag?: unknown })._tag !== 'ls-schema') {
    throw new LsError('LS_INVALID_SCHEMA', 'createStorePromise({ schema }) needs the result of makeSchema({ events, state }).');
  }
  const storeId = options.storeId ?? 'default';
  if (!STORE_ID.test(storeId)) throw new LsError('LS_INVALID_ARGUMENT', `storeId '${storeId}' must be 1-128 characters of letters, digits, '_', '-' or '.'.`);
  const controller = new AbortController();
  options.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  const adapter = options.adapter ?? (options.schemaUrl === undefined ? makeInMemoryAdapter() : makePersistedAdapter({ schemaUrl: options.schemaUrl }));
  // This tab's SQLite loads while the adapter finds or starts the leader (which loads its own).
  const loadingSqlite = loadSqlite();
  loadingSqlite.catch(() => {}); // awaited below; a failure before then is reported there
  const clientId = options.clientId ?? adapter.clientId?.() ?? nanoid(12);
  const sessionId = options.sessionId ?? (await adapter.tabSessionId?.(storeId)) ?? nanoid(12);
  const onError = options.onError ?? ((err: LsError) => console.error(`[ls-elements ${storeId}]`, err));
  const leader = await adapter({
    schema, storeId, clientId, sessionId, signal: controller.signal,
    ...(options.syncPayload === undefined ? {} : { syncPayload: options.syncPayload }),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  let booted: [{ readonly image: Uint8Array; readonly head: number }, SqliteApi];
  try {
    booted = await Promise.all([leader.boot(), loadingSqlite]);
  } catch (err) {
    await leader.close().catch(() => {}); // give up leadership, stop reconnecting
    throw err;
  }
  const [{ image, head }, api] = booted;
  const db = SqliteDatabase.openInMemory(api);
  db.deserialize(image);
  const impl = new StoreImpl({ schema, storeId, clientId, sessionId, db, leader, head, onError });
  const store = new Store<S>(impl);
  controller.signal.addEventListener('abort', () => void store.shutdown(), { once: true });

  const debug = (globalThis.__debugLiveStore ??= {});
  debug[storeId] = store as unknown as Store;
  (debug as Record<string, unknown>)['_'] = store;

  if (options.boot !== undefined) await options.boot(store);
  return store;
}
