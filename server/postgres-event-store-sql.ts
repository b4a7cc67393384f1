/**
 * The PostgreSQL event store's table definitions and the plain-data edges around its statements:
 * argument checks before an append, row → LiveEvent decoding, pg errors → LsError, ending a pool.
 *
 * Numbers: bigint columns are selected as text and turned into JS numbers here (seqNums and epoch
 * milliseconds stay far below 2^53). `args` is selected as the exact json text and parsed here, so
 * a caller's pool with custom type parsers changes nothing; SQL NULL stands for `args: undefined`.
 */
import type { Pool } from 'pg';
import { LsError } from '../src/core/errors.ts';
import type { LiveEvent } from '../src/core/live-event.ts';

export function postgresEventStoreDdl(schema: string): string {
  const s = `"${schema}"`;
  return `
    CREATE SCHEMA IF NOT EXISTS ${s};
    CREATE TABLE IF NOT EXISTS ${s}.stores (
      store_id text PRIMARY KEY,
      head bigint NOT NULL CHECK (head >= 0)
    );
    CREATE TABLE IF NOT EXISTS ${s}.events (
      store_id text NOT NULL,
      seq bigint NOT NULL,
      parent_seq bigint NOT NULL,
      id text NOT NULL,
      name text NOT NULL,
      args json,
      client_id text NOT NULL,
      session_id text NOT NULL,
      created_at bigint NOT NULL,
      PRIMARY KEY (store_id, seq),
      UNIQUE (store_id, id)
    );
    CREATE TABLE IF NOT EXISTS ${s}.meta (
      singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
      backend_id text NOT NULL
    );`;
}

/**
 * 'ok' when `events` continue `expectedHead` without gaps (seqNum expectedHead + 1 + i, parent the one
 * before), else 'not-contiguous'. Throws LS_INVALID_ARGUMENT for data no store could hold.
 */
export function checkAppendArgs(expectedHead: number, events: readonly LiveEvent[]): 'ok' | 'not-contiguous' {
  if (!Number.isSafeInteger(expectedHead) || expectedHead < 0) {
    throw new LsError('LS_INVALID_ARGUMENT', `expectedHead must be a non-negative integer, got ${String(expectedHead)}.`);
  }
  const ids = new Set<string>();
  let contiguous = true;
  events.forEach((e, i) => {
    for (const k of ['id', 'name', 'clientId', 'sessionId'] as const) {
      if (typeof e[k] !== 'string') invalid(e, `${k} must be a string`);
    }
    if (!Number.isSafeInteger(e.createdAt)) invalid(e, 'createdAt must be an integer (epoch milliseconds)');
    if (ids.has(e.id)) invalid(e, 'the batch holds this id twice');
    ids.add(e.id);
    if (e.seqNum !== expectedHead + 1 + i || e.parentSeqNum !== expectedHead + i) contiguous = false;
  });
  return contiguous ? 'ok' : 'not-contiguous';
}

function invalid(e: LiveEvent, what: string): never {
  throw new LsError('LS_INVALID_ARGUMENT', `Cannot append event ${String(e.id)} (${String(e.name)}): ${what}.`, {
    details: { id: String(e.id), name: String(e.name) },
  });
}

/** JSON text of an event's args, or null for undefined; throws LS_INVALID_ARGUMENT if not JSON-safe. */
export function argsToJson(e: LiveEvent): string | null {
  if (e.args === undefined) return null;
  try {
    return JSON.stringify(e.args) ?? null;
  } catch (err) {
    throw new LsError('LS_INVALID_ARGUMENT', `Cannot append event ${e.id} (${e.name}): its args are not JSON-safe.`, { cause: err });
  }
}

export interface EventRow {
  readonly seq: string;
  readonly parent_seq: string;
  readonly id: string;
  readonly name: string;
  readonly args: string | null;
  readonly client_id: string;
  readonly session_id: string;
  readonly created_at: string;
}

export function rowToEvent(row: EventRow): LiveEvent {
  return {
    id: row.id,
    name: row.name,
    args: row.args === null ? undefined : JSON.parse(row.args),
    seqNum: Number(row.seq),
    parentSeqNum: Number(row.parent_seq),
    clientId: row.client_id,
    sessionId: row.session_id,
    createdAt: Number(row.created_at),
  };
}

/** Wraps a pg/network error as LS_STORAGE_ERROR, keeping the SQLSTATE as `details.pgCode`. */
export function storageError(what: string, err: unknown): LsError {
  if (err instanceof LsError) return err;
  const pgCode = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
  const message = err instanceof Error ? err.message : String(err);
  return new LsError('LS_STORAGE_ERROR', `${what}: ${message}. Check that PostgreSQL is reachable and the schema is intact.`, {
    cause: err,
    ...(pgCode === undefined ? {} : { details: { pgCode } }),
  });
}

/** Ends a pool and waits until its sockets are closed: pool.end() alone resolves before that. */
export async function endPostgresPool(pool: Pool): Promise<void> {
  if (pool.ended) return;
  let left = pool.totalCount;
  const gone = new Promise<void>((resolve) => {
    if (left === 0) resolve();
    pool.on('remove', () => { if (--left === 0) resolve(); });
  });
  await pool.end();
  await gone;
}
