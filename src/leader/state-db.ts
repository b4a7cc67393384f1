/**
 * The state database of a store: the app's tables (from the schema) plus `__ls_state`, which
 * records the seqNum materialized so far, the schema hash the tables were made with, and whether
 * the last rebuild completed. A rebuild drops the app's tables, writes `rebuild_complete = 0`
 * first and `1` last, so an interrupted rebuild is detected and restarted at the next open.
 * `log_epoch` is the eventlog's epoch (bumped by every rebase that rewrites the log) the state was
 * materialized from: the two databases commit one after the other, so a crash between them leaves
 * different epochs, and the next open rebuilds instead of trusting a state of another order.
 */
import type { LsSchema } from '../core/make-schema.ts';
import type { SqliteDatabase } from '../sqlite/sqlite-database.ts';
import { STATE_META_TABLE, ensureAddedColumns, isSystemTable, stateMetaDdl } from './system-tables.ts';

export interface StateMeta {
  readonly head: number;
  readonly schemaHash: string;
  readonly rebuildComplete: boolean;
  readonly logEpoch: number;
}

export function createAppTables(db: SqliteDatabase, schema: LsSchema): void {
  for (const table of schema.tables.values()) for (const ddl of table.createSql()) db.exec(ddl);
}

export function readStateMeta(db: SqliteDatabase): StateMeta | undefined {
  for (const ddl of stateMetaDdl) db.exec(ddl);
  ensureAddedColumns(db, STATE_META_TABLE);
  const row = db.get(`SELECT head, schema_hash, rebuild_complete, log_epoch FROM ${STATE_META_TABLE} WHERE id = 1`);
  if (row === undefined) return undefined;
  return { head: Number(row['head']), schemaHash: String(row['schema_hash']), rebuildComplete: row['rebuild_complete'] === 1, logEpoch: Number(row['log_epoch']) };
}

/** Drops and recreates `__ls_state` (a rebuild must not trust a damaged meta table). */
export function resetStateMeta(db: SqliteDatabase): void {
  db.exec(`DROP TABLE IF EXISTS ${STATE_META_TABLE}`);
  for (const ddl of stateMetaDdl) db.exec(ddl);
}

export function writeStateMeta(db: SqliteDatabase, meta: StateMeta): void {
  db.run(
    `INSERT INTO ${STATE_META_TABLE} (id, head, schema_hash, rebuild_complete, log_epoch) VALUES (1, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET head = excluded.head, schema_hash = excluded.schema_hash, rebuild_complete = excluded.rebuild_complete, log_epoch = excluded.log_epoch`,
    [meta.head, meta.schemaHash, meta.rebuildComplete ? 1 : 0, meta.logEpoch],
  );
}

export function setStateHead(db: SqliteDatabase, head: number): void {
  db.run(`UPDATE ${STATE_META_TABLE} SET head = ? WHERE id = 1`, [head]);
}

/** After a rebase: the state's head and the log epoch it now reflects. */
export function setStateHeadAndEpoch(db: SqliteDatabase, head: number, logEpoch: number): void {
  db.run(`UPDATE ${STATE_META_TABLE} SET head = ?, log_epoch = ? WHERE id = 1`, [head, logEpoch]);
}

/** Drops every app table and index (system tables stay). */
export function dropAppTables(db: SqliteDatabase): void {
  const rows = db.all(`SELECT type, name FROM sqlite_schema WHERE type IN ('table', 'view')`);
  for (const row of rows) {
    const name = String(row['name']);
    if (isSystemTable(name)) continue;
    db.exec(`DROP ${row['type'] === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS "${name.replaceAll('"', '""')}"`);
  }
}

/** Names of the app's tables present in this db (devtools, tests). */
export function appTableNames(db: SqliteDatabase): string[] {
  return db
    .all(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)
    .map((r) => String(r['name']))
    .filter((n) => !isSystemTable(n));
}
