/**
 * The sync server's embedded EventStore: one SQLite file through better-sqlite3.
 *
 * Tables: `meta(key, value)` holds the backend id (random, written when the file is created);
 * `stores(store_id, head)` one head row per store; `events(store_id, seq, …)` keyed by
 * (store_id, seq), WITHOUT ROWID so a page read is one range scan, and unique on (store_id, id)
 * for dedupe lookups. An append is one IMMEDIATE transaction that checks the head, inserts the
 * events and moves the head; any failure rolls it all back.
 *
 * Durability: WAL with synchronous=FULL: a commit is fsynced before append() resolves, so an
 * acknowledged push survives a crash or power loss. better-sqlite3 is synchronous, so the calls
 * run one at a time in this process; busy_timeout covers a second process on the same file.
 * `args` is stored as JSON text (NULL for undefined), read back with JSON.parse.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { LsError } from '../src/core/errors.ts';
import type { LiveEvent } from '../src/core/live-event.ts';
import type { AppendResult, EventStore } from './event-store.ts';

export interface SqliteEventStoreOptions {
  /** File path (its folder is created), or ':memory:' for a throwaway store. */
  readonly path: string;
}

interface EventRow {
  readonly seq: number;
  readonly parent_seq: number;
  readonly id: string;
  readonly name: string;
  readonly args: string | null;
  readonly client_id: string;
  readonly session_id: string;
  readonly created_at: number;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
  CREATE TABLE IF NOT EXISTS stores (store_id TEXT PRIMARY KEY, head INTEGER NOT NULL CHECK (head >= 0)) STRICT;
  CREATE TABLE IF NOT EXISTS events (
    store_id TEXT NOT NULL, seq INTEGER NOT NULL, parent_seq INTEGER NOT NULL, id TEXT NOT NULL,
    name TEXT NOT NULL, args TEXT, client_id TEXT NOT NULL, session_id TEXT NOT NULL, created_at INTEGER NOT NULL,
    PRIMARY KEY (store_id, seq)
  ) STRICT, WITHOUT ROWID;
  CREATE UNIQUE INDEX IF NOT EXISTS events_by_id ON events (store_id, id);`;

export async function createSqliteEventStore(options: SqliteEventStoreOptions): Promise<EventStore> {
  let db: Database.Database;
  try {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    db = new Database(options.path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA);
    db.prepare(`INSERT OR IGNORE INTO meta (key, value) VALUES ('backend_id', ?)`).run(randomUUID());
  } catch (err) {
    throw storageError(`could not open the SQLite event store at ${options.path}`, err);
  }
  const backendId = (db.prepare(`SELECT value FROM meta WHERE key = 'backend_id'`).get() as { value: string }).value;

  const selectHead = db.prepare<[string], { head: number }>('SELECT head FROM stores WHERE store_id = ?');
  const upsertHead = db.prepare<[string, number]>(
    // Plain `?` placeholders: better-sqlite3 binds `?NNN` as named parameters, so positional values fail.
    'INSERT INTO stores (store_id, head) VALUES (?, ?) ON CONFLICT (store_id) DO UPDATE SET head = excluded.head');
  const insertEvent = db.prepare<[string, number, number, string, string, string | null, string, string, number]>(
    'INSERT INTO events (store_id, seq, parent_seq, id, name, args, client_id, session_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const selectPage = db.prepare<[string, number, number], EventRow>(
    'SELECT seq, parent_seq, id, name, args, client_id, session_id, created_at FROM events WHERE store_id = ? AND seq > ? ORDER BY seq LIMIT ?');
  const selectSeqNums = db.prepare<[string, string], { id: string; seq: number }>(
    'SELECT id, seq FROM events WHERE store_id = ? AND id IN (SELECT value FROM json_each(?))');

  const headOf = (storeId: string): number => selectHead.get(storeId)?.head ?? 0;

  const appendTx = db.transaction((storeId: string, expectedHead: number, events: readonly LiveEvent[], args: readonly (string | null)[]): AppendResult => {
    const head = headOf(storeId);
    if (head !== expectedHead) return { ok: false, reason: 'head-mismatch', head };
    events.forEach((e, i) => {
      insertEvent.run(storeId, e.seqNum, e.parentSeqNum, e.id, e.name, args[i] ?? null, e.clientId, e.sessionId, e.createdAt);
    });
    const newHead = expectedHead + events.length;
    if (events.length > 0) upsertHead.run(storeId, newHead);
    return { ok: true, head: newHead };
  });

  let closed = false;
  const guard = <T>(what: string, fn: () => T): Promise<T> => {
    if (closed) return Promise.reject(new LsError('LS_STORE_SHUTDOWN', 'The SQLite event store is closed; create a new one.'));
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(err instanceof LsError ? err : storageError(`SQLite event store ${what} failed`, err));
    }
  };

  return {
    backendId: () => guard('backendId', () => backendId),
    head: (storeId) => guard('head', () => headOf(storeId)),

    append: (storeId, expectedHead, events) => guard('append', () => {
      if (!contiguous(expectedHead, events)) return { ok: false, reason: 'not-contiguous', head: headOf(storeId) };
      try {
        return appendTx.immediate(storeId, expectedHead, events, events.map(argsToJson));
      } catch (err) {
        // A known id (unique index) or seq: someone stored it first; nothing was written.
        if (isConstraintError(err)) return { ok: false, reason: 'head-mismatch', head: headOf(storeId) };
        throw err;
      }
    }),

    read: (storeId, afterSeqNum, limit) => guard('read', () => {
      if (!Number.isSafeInteger(limit) || limit <= 0) return [];
      return selectPage.all(storeId, Math.floor(afterSeqNum), limit).map(rowToEvent);
    }),

    seqNumsOf: (storeId, ids) => guard('seqNumsOf', () => {
      if (ids.length === 0) return new Map<string, number>();
      return new Map(selectSeqNums.all(storeId, JSON.stringify(ids)).map((r) => [r.id, r.seq]));
    }),

    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}

/** Throws LS_INVALID_ARGUMENT for data no store could hold; false if not numbered from expectedHead. */
function contiguous(expectedHead: number, events: readonly LiveEvent[]): boolean {
  if (!Number.isSafeInteger(expectedHead) || expectedHead < 0) {
    throw new LsError('LS_INVALID_ARGUMENT', `expectedHead must be a non-negative integer, got ${String(expectedHead)}.`);
  }
  const ids = new Set<string>();
  let ok = true;
  events.forEach((e, i) => {
    for (const k of ['id', 'name', 'clientId', 'sessionId'] as const) {
      if (typeof e[k] !== 'string') invalid(e, `${k} must be a string`);
    }
    if (!Number.isSafeInteger(e.createdAt)) invalid(e, 'createdAt must be an integer (epoch milliseconds)');
    if (ids.has(e.id)) invalid(e, 'the batch holds this id twice');
    ids.add(e.id);
    if (e.seqNum !== expectedHead + 1 + i || e.parentSeqNum !== expectedHead + i) ok = false;
  });
  return ok;
}

function invalid(e: LiveEvent, what: string): never {
  throw new LsError('LS_INVALID_ARGUMENT', `Cannot append event ${String(e.id)} (${String(e.name)}): ${what}.`);
}

function argsToJson(e: LiveEvent): string | null {
  if (e.args === undefined) return null;
  try {
    return JSON.stringify(e.args) ?? null;
  } catch (err) {
    throw new LsError('LS_INVALID_ARGUMENT', `Cannot append event ${e.id} (${e.name}): its args are not JSON-safe.`, { cause: err });
  }
}

function rowToEvent(r: EventRow): LiveEvent {
  return {
    id: r.id,
    name: r.name,
    args: r.args === null ? undefined : JSON.parse(r.args),
    seqNum: r.seq,
    parentSeqNum: r.parent_seq,
    clientId: r.client_id,
    sessionId: r.session_id,
    createdAt: r.created_at,
  };
}

function isConstraintError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && String(err.code).startsWith('SQLITE_CONSTRAINT');
}

function storageError(what: string, err: unknown): LsError {
  const why = err instanceof Error ? err.message : String(err);
  return new LsError('LS_STORAGE_ERROR', `${what}: ${why}. Check the file's path, permissions and free disk space.`, { cause: err });
}
