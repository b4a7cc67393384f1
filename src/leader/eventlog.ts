/**
 * The leader's eventlog: append, dedupe by id, read by seqNum. Statements are cached by the
 * wrapper, so an append costs the same whatever the length of the log.
 *
 * Two numberings: `seq` orders every event of this store here (clientOnly ones included; sessions
 * see it as seqNum); `sync_seq` is a synced event's place in the sync server's order: confirmed up
 * to the upstream head, provisional above it (the pending events), NULL for clientOnly events.
 * A rebase rewrites the tail of the log (deleteFrom + insert) with new numbers of both kinds.
 */
import type { LiveEvent } from '../core/live-event.ts';
import type { SqlRow } from '../core/sql-value.ts';
import type { SqliteDatabase } from '../sqlite/sqlite-database.ts';
import { EVENTLOG_TABLE, QUARANTINE_TABLE, SYNC_TABLE, ensureAddedColumns, eventlogDdl } from './system-tables.ts';

export interface StoredEvent extends LiveEvent {
  readonly clientOnly: boolean;
}

/** A stored event with its number in the sync server's order (null: clientOnly). */
export interface SyncedStoredEvent extends StoredEvent {
  readonly syncSeq: number | null;
}

export interface QuarantinedEvent {
  readonly event: LiveEvent;
  readonly error: string;
  /** true: an upstream event, kept in the log (part of the global order) but not materialized. */
  readonly inLog: boolean;
  readonly at: number;
}

function toEvent(row: SqlRow): StoredEvent {
  return {
    id: String(row['id']),
    name: String(row['name']),
    args: JSON.parse(String(row['args'])) as unknown,
    seqNum: Number(row['seq']),
    parentSeqNum: Number(row['parent_seq']),
    clientId: String(row['client_id']),
    sessionId: String(row['session_id']),
    createdAt: Number(row['created_at']),
    clientOnly: row['client_only'] === 1,
  };
}

export class Eventlog {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    for (const ddl of eventlogDdl) db.exec(ddl);
    if (ensureAddedColumns(db, EVENTLOG_TABLE)) {
      // An eventlog from before sync numbering: its synced events are all pending, in log order.
      db.exec(`UPDATE ${EVENTLOG_TABLE} SET sync_seq = (SELECT count(*) FROM ${EVENTLOG_TABLE} e WHERE e.client_only = 0 AND e.seq <= ${EVENTLOG_TABLE}.seq) WHERE client_only = 0`);
    }
    db.exec(`CREATE INDEX IF NOT EXISTS ${EVENTLOG_TABLE}_sync_seq ON ${EVENTLOG_TABLE} (sync_seq)`);
  }

  /** True while a transaction is open on the eventlog's connection. */
  get inTransaction(): boolean {
    return this.#db.inTransaction;
  }

  head(): number {
    const row = this.#db.get(`SELECT max(seq) AS head FROM ${EVENTLOG_TABLE}`);
    return Number(row?.['head'] ?? 0);
  }

  /** Inserts at event.seqNum; `syncSeq` is its number in the server's order (null: clientOnly). */
  insert(event: StoredEvent, syncSeq: number | null = null): void {
    this.#db.run(
      `INSERT INTO ${EVENTLOG_TABLE} (seq, parent_seq, id, name, args, client_id, session_id, created_at, client_only, sync_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [event.seqNum, event.parentSeqNum, event.id, event.name, JSON.stringify(event.args ?? null), event.clientId, event.sessionId, event.createdAt, event.clientOnly ? 1 : 0, syncSeq],
    );
  }

  /** The highest sync_seq (the last pending or confirmed synced event), 0 when none. */
  syncHead(): number {
    return Number(this.#db.get(`SELECT max(sync_seq) AS h FROM ${EVENTLOG_TABLE}`)?.['h'] ?? 0);
  }

  /** Synced events above `upstreamHead`, numbered in the server's order (seqNum = sync_seq). */
  pendingSynced(upstreamHead: number): LiveEvent[] {
    return this.#db.all(`SELECT * FROM ${EVENTLOG_TABLE} WHERE sync_seq > ? ORDER BY seq`, [upstreamHead]).map((row) => {
      const { clientOnly: _c, ...e } = toEvent(row);
      const syncSeq = Number(row['sync_seq']);
      return { ...e, seqNum: syncSeq, parentSeqNum: syncSeq - 1 };
    });
  }

  /** Local seq of the oldest synced event above `upstreamHead` (the oldest pending), if any. */
  oldestPendingSeq(upstreamHead: number): number | undefined {
    const v = this.#db.get(`SELECT min(seq) AS s FROM ${EVENTLOG_TABLE} WHERE sync_seq > ?`, [upstreamHead])?.['s'];
    return v === null || v === undefined ? undefined : Number(v);
  }

  localSeqOf(id: string): number | undefined {
    const row = this.#db.get(`SELECT seq FROM ${EVENTLOG_TABLE} WHERE id = ?`, [id]);
    return row === undefined ? undefined : Number(row['seq']);
  }

  /** Every event from local seq `from` on, ascending, with its sync number. */
  tail(from: number): SyncedStoredEvent[] {
    return this.#db.all(`SELECT * FROM ${EVENTLOG_TABLE} WHERE seq >= ? ORDER BY seq`, [from]).map((row) => ({
      ...toEvent(row),
      syncSeq: row['sync_seq'] === null ? null : Number(row['sync_seq']),
    }));
  }

  /** Removes every event from local seq `from` on (a rebase re-inserts them renumbered). */
  deleteFrom(from: number): void {
    this.#db.run(`DELETE FROM ${EVENTLOG_TABLE} WHERE seq >= ?`, [from]);
  }

  quarantine(event: LiveEvent, error: string, inLog: boolean): void {
    this.#db.run(
      `INSERT INTO ${QUARANTINE_TABLE} (id, event, error, in_log, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET error = excluded.error, at = excluded.at`,
      [event.id, JSON.stringify(event), error, inLog ? 1 : 0, Date.now()],
    );
  }

  quarantined(): QuarantinedEvent[] {
    return this.#db.all(`SELECT * FROM ${QUARANTINE_TABLE} ORDER BY at, id`).map((row) => ({
      event: JSON.parse(String(row['event'])) as LiveEvent,
      error: String(row['error']),
      inLog: row['in_log'] === 1,
      at: Number(row['at']),
    }));
  }

  getSyncNumber(key: string): number {
    const v = this.getSync(key);
    return v === undefined ? 0 : Number(v);
  }

  byId(id: string): StoredEvent | undefined {
    const row = this.#db.get(`SELECT * FROM ${EVENTLOG_TABLE} WHERE id = ?`, [id]);
    return row === undefined ? undefined : toEvent(row);
  }

  /** Events with seqNum > after, ascending, at most `limit`. */
  since(after: number, limit = 10_000): StoredEvent[] {
    return this.#db.all(`SELECT * FROM ${EVENTLOG_TABLE} WHERE seq > ? ORDER BY seq LIMIT ?`, [after, limit]).map(toEvent);
  }

  count(): number {
    return Number(this.#db.get(`SELECT count(*) AS n FROM ${EVENTLOG_TABLE}`)?.['n'] ?? 0);
  }

  getSync(key: string): string | undefined {
    const row = this.#db.get(`SELECT value FROM ${SYNC_TABLE} WHERE key = ?`, [key]);
    return row === undefined ? undefined : String(row['value']);
  }

  setSync(key: string, value: string): void {
    this.#db.run(`INSERT INTO ${SYNC_TABLE} (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, [key, value]);
  }

  savepoint<T>(fn: () => T): T {
    return this.#db.savepoint(fn);
  }
}
