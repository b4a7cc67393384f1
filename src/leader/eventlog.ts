/**
 * The leader's eventlog: append, dedupe by id, read by seqNum. Statements are cached by the
 * wrapper, so an append costs the same whatever the length of the log.
 */
import type { LiveEvent } from '../core/live-event.ts';
import type { SqlRow } from '../core/sql-value.ts';
import type { SqliteDatabase } from '../sqlite/sqlite-database.ts';
import { EVENTLOG_TABLE, SYNC_TABLE, eventlogDdl } from './system-tables.ts';

export interface StoredEvent extends LiveEvent {
  readonly clientOnly: boolean;
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
  }

  head(): number {
    const row = this.#db.get(`SELECT max(seq) AS head FROM ${EVENTLOG_TABLE}`);
    return Number(row?.['head'] ?? 0);
  }

  insert(event: StoredEvent): void {
    this.#db.run(
      `INSERT INTO ${EVENTLOG_TABLE} (seq, parent_seq, id, name, args, client_id, session_id, created_at, client_only) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [event.seqNum, event.parentSeqNum, event.id, event.name, JSON.stringify(event.args ?? null), event.clientId, event.sessionId, event.createdAt, event.clientOnly ? 1 : 0],
    );
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
