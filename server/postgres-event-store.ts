/**
 * The sync server's EventStore on PostgreSQL, for stateless server nodes that share one database.
 *
 * Tables (in `schema`, default `ls_sync`, created on start): `stores(store_id, head)` — one head row
 * per store; `events(store_id, seq, …)` with primary key (store_id, seq) and unique (store_id, id);
 * `meta(backend_id)`.
 *
 * Append = ONE statement: a CTE moves the head from `expected` to `expected + n` (an UPDATE guarded by
 * `head = expected`; for expected 0 an INSERT … ON CONFLICT DO UPDATE … WHERE head = 0, so two first
 * appends race on the row and one loses) and inserts the batch from `unnest(...)` only if the head
 * moved. The primary key is the second guard: a unique violation means "someone else got there" and
 * is answered as head-mismatch. Contiguity is checked in JS before; nothing changes on any refusal.
 *
 * `args` is stored as `json`, not `jsonb`: json keeps the exact text (key order, number spelling),
 * jsonb would reorder keys and reject some strings (lone surrogates) that JSON.stringify produces.
 * Fan-out to other nodes (`onAppended`, `poll`): see postgres-event-store-fanout.ts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { LsError } from '../src/core/errors.ts';
import type { LiveEvent } from '../src/core/live-event.ts';
import type { AppendResult, EventStore } from './event-store.ts';
import { createPostgresEventStoreFanout } from './postgres-event-store-fanout.ts';
import type { AppendedListener } from './postgres-event-store-fanout.ts';
import { argsToJson, checkAppendArgs, endPostgresPool, postgresEventStoreDdl, rowToEvent, storageError } from './postgres-event-store-sql.ts';
import type { EventRow } from './postgres-event-store-sql.ts';

export type PostgresEventStoreLog = (level: 'debug' | 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>) => void;

export interface PostgresEventStoreOptions {
  /** Used for the dedicated LISTEN connection, and for the query pool unless `pool` is given. */
  readonly connectionString: string;
  /** PostgreSQL schema holding the tables; also the NOTIFY channel. Default `ls_sync`. */
  readonly schema?: string;
  /** Pool for queries (the store never ends it). Default: a pool on `connectionString`. */
  readonly pool?: Pool;
  /** Poll fallback for lost notifications, in ms; 0 turns it off (then call `poll()`). Default 2000. */
  readonly pollIntervalMs?: number;
  /** Shown in pg_stat_activity as application_name `ls-sync-listen:<nodeName>`. Default: random. */
  readonly nodeName?: string;
  /** Stores watched by the poll fallback, least recently used dropped. Default 10 000. */
  readonly maxWatchedStores?: number;
  readonly log?: PostgresEventStoreLog;
}

export interface PostgresEventStore extends EventStore {
  /**
   * Calls `listener(storeId, head)` when a store's head moved past the last head reported for it, by
   * an append on this node or (via NOTIFY or the poll fallback) on another node. A hint: re-read by
   * cursor; calls may come late or twice, never for a head that is not committed.
   */
  onAppended(listener: AppendedListener): () => void;
  /** Reads the heads of the given (default: all watched) stores now and reports those that moved. */
  poll(storeIds?: readonly string[]): Promise<void>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function createPostgresEventStore(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
  const schema = options.schema ?? 'ls_sync';
  if (!SCHEMA_NAME.test(schema)) {
    throw new LsError('LS_INVALID_ARGUMENT', `Schema name "${schema}" is not allowed: use lowercase letters, digits and _ (at most 63).`);
  }
  const ownsPool = options.pool === undefined;
  const pool = options.pool ?? new Pool({ connectionString: options.connectionString });
  if (ownsPool) pool.on('error', (err) => options.log?.('warn', 'idle pool connection failed', { error: String(err) }));
  const t = (name: string): string => `"${schema}".${name}`;

  let backendId: string;
  let fanout: Awaited<ReturnType<typeof createPostgresEventStoreFanout>>;
  try {
    backendId = await setUp(pool, schema);
    fanout = await createPostgresEventStoreFanout({
      connectionString: options.connectionString,
      pool,
      channel: schema,
      nodeName: options.nodeName ?? randomBytes(4).toString('hex'),
      pollIntervalMs: options.pollIntervalMs ?? 2_000,
      maxWatchedStores: options.maxWatchedStores ?? 10_000,
      readHeads: async (ids) => {
        const r = await pool.query<{ store_id: string; head: string }>(
          `SELECT store_id, head::text AS head FROM ${t('stores')} WHERE store_id = ANY($1::text[])`, [ids]);
        return new Map(r.rows.map((row) => [row.store_id, Number(row.head)]));
      },
      log: options.log,
    });
  } catch (err) {
    if (ownsPool) await pool.end().catch(() => {});
    throw storageError('could not start the PostgreSQL event store', err);
  }

  let closed = false;
  const query = async <R extends object>(text: string, values: unknown[]): Promise<R[]> => {
    if (closed) throw new LsError('LS_STORE_SHUTDOWN', 'The PostgreSQL event store is closed; create a new one.');
    try {
      return (await pool.query<R>(text, values)).rows;
    } catch (err) {
      throw storageError('PostgreSQL event store query failed', err);
    }
  };
  const readHead = async (storeId: string): Promise<number> => {
    const rows = await query<{ head: string }>(`SELECT head::text AS head FROM ${t('stores')} WHERE store_id = $1`, [storeId]);
    return rows[0] === undefined ? 0 : Number(rows[0].head);
  };

  const bumpFirst = `INSERT INTO ${t('stores')} AS st (store_id, head) VALUES ($1, $3)
      ON CONFLICT (store_id) DO UPDATE SET head = EXCLUDED.head WHERE st.head = $2 RETURNING st.head`;
  const bumpNext = `UPDATE ${t('stores')} SET head = $3 WHERE store_id = $1 AND head = $2 RETURNING head`;
  const appendSql = (bump: string): string => `WITH bump AS (${bump}),
    ins AS (
      INSERT INTO ${t('events')} (store_id, seq, parent_seq, id, name, args, client_id, session_id, created_at)
      SELECT $1, e.seq, e.parent_seq, e.id, e.name, e.args::json, e.client_id, e.session_id, e.created_at
      FROM unnest($4::bigint[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::bigint[])
        AS e(seq, parent_seq, id, name, args, client_id, session_id, created_at)
      WHERE EXISTS (SELECT 1 FROM bump)
      RETURNING 1)
    SELECT (SELECT count(*) FROM bump)::int AS bumped, (SELECT count(*) FROM ins)::int AS inserted`;
  const appendFirst = appendSql(bumpFirst);
  const appendNext = appendSql(bumpNext);

  return {
    backendId: () => Promise.resolve(backendId),

    async head(storeId) {
      fanout.watch(storeId);
      return readHead(storeId);
    },

    async append(storeId, expectedHead, events): Promise<AppendResult> {
      const check = checkAppendArgs(expectedHead, events);
      fanout.watch(storeId);
      if (check !== 'ok') return { ok: false, reason: check, head: await readHead(storeId) };
      if (events.length === 0) {
        const head = await readHead(storeId);
        return head === expectedHead ? { ok: true, head } : { ok: false, reason: 'head-mismatch', head };
      }
      const newHead = expectedHead + events.length;
      const col = <K extends keyof LiveEvent>(k: K): Array<LiveEvent[K]> => events.map((e) => e[k]);
      const values = [storeId, expectedHead, newHead, col('seqNum'), col('parentSeqNum'), col('id'), col('name'),
        events.map(argsToJson), col('clientId'), col('sessionId'), col('createdAt')];
      let appended = false;
      try {
        const rows = await query<{ bumped: number; inserted: number }>(expectedHead === 0 ? appendFirst : appendNext, values);
        appended = rows[0]?.bumped === 1 && rows[0].inserted === events.length;
      } catch (err) {
        // 23505 unique_violation: the (store_id, seq) guard (or a known id): refused, nothing written.
        if (!(err instanceof LsError && err.details['pgCode'] === '23505')) throw err;
      }
      if (!appended) return { ok: false, reason: 'head-mismatch', head: await readHead(storeId) };
      fanout.published(storeId, newHead); // after commit: the statement above was its own transaction
      return { ok: true, head: newHead };
    },

    async read(storeId, afterSeqNum, limit) {
      fanout.watch(storeId);
      if (!Number.isSafeInteger(limit) || limit <= 0) return [];
      // ORDER BY the table's bigint column: a bare `seq` would name the text output column.
      const rows = await query<EventRow>(
        `SELECT seq::text AS seq, parent_seq::text AS parent_seq, id, name, args::text AS args, client_id, session_id,
                created_at::text AS created_at
         FROM ${t('events')} AS ev WHERE store_id = $1 AND ev.seq > $2 ORDER BY ev.seq LIMIT $3`, [storeId, Math.floor(afterSeqNum), limit]);
      return rows.map(rowToEvent);
    },

    async seqNumsOf(storeId, ids) {
      if (ids.length === 0) return new Map();
      const rows = await query<{ id: string; seq: string }>(
        `SELECT id, seq::text AS seq FROM ${t('events')} WHERE store_id = $1 AND id = ANY($2::text[])`, [storeId, [...ids]]);
      return new Map(rows.map((r) => [r.id, Number(r.seq)]));
    },

    onAppended: (listener) => fanout.onAppended(listener),
    poll: (storeIds) => fanout.poll(storeIds),

    async close() {
      if (closed) return;
      closed = true;
      await fanout.close(); // sends the NOTIFYs still queued, so it needs the pool
      if (ownsPool) await endPostgresPool(pool);
    },
  };
}

/** Creates schema and tables if missing (serialised across nodes by an advisory lock); returns the backend id. */
async function setUp(pool: Pool, schema: string): Promise<string> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`ls_sync schema ${schema}`]);
    await client.query(postgresEventStoreDdl(schema));
    await client.query(`INSERT INTO "${schema}".meta (backend_id) VALUES ($1) ON CONFLICT DO NOTHING`, [randomUUID()]);
    const r = await client.query<{ backend_id: string }>(`SELECT backend_id FROM "${schema}".meta`);
    await client.query('COMMIT');
    const id = r.rows[0]?.backend_id;
    if (id === undefined) throw new Error('meta row missing after insert');
    return id;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
