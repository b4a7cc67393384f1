/**
 * The system tables of ls-elements, beside the app's state tables.
 *
 * Two databases per store (the leader's design, see leader-core.ts):
 * - the eventlog db: `__ls_eventlog` (every event, by local seqNum; `sync_seq` is its number in
 *   the sync server's order, NULL for clientOnly events), `__ls_sync` (upstream head, backend id,
 *   log epoch) and `__ls_quarantine` (events that failed to materialize during sync);
 * - the state db: the app's tables plus `__ls_state`, one row saying up to which seqNum the state
 *   is materialized, with which schema hash, at which log epoch, and whether a rebuild completed,
 *   and `__ls_changesets`, the changeset of every event a rebase may have to undo. Both are
 *   written in the same transaction as the materialized rows, so they never disagree with them.
 * The state db is what a new tab receives as a serialized image: it never holds the eventlog, so
 * boot cost does not grow with the length of the log.
 */

export const EVENTLOG_TABLE = '__ls_eventlog';
export const SYNC_TABLE = '__ls_sync';
export const STATE_META_TABLE = '__ls_state';
export const CHANGESETS_TABLE = '__ls_changesets';
export const QUARANTINE_TABLE = '__ls_quarantine';

/** `__ls_sync` keys: the server's head this client holds, and the server's identity. */
export const UPSTREAM_HEAD_KEY = 'upstream_head';
export const BACKEND_ID_KEY = 'backend_id';

export const eventlogDdl = [
  `CREATE TABLE IF NOT EXISTS ${EVENTLOG_TABLE} (
    seq INTEGER PRIMARY KEY,
    parent_seq INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    args TEXT NOT NULL,
    client_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    client_only INTEGER NOT NULL DEFAULT 0,
    sync_seq INTEGER
  ) STRICT`,
  `CREATE TABLE IF NOT EXISTS ${SYNC_TABLE} (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT`,
  `CREATE TABLE IF NOT EXISTS ${QUARANTINE_TABLE} (
    id TEXT PRIMARY KEY,
    event TEXT NOT NULL,
    error TEXT NOT NULL,
    in_log INTEGER NOT NULL,
    at INTEGER NOT NULL
  ) STRICT`,
];

/** Columns added after the first release of a table: added to older databases at open. */
export const addedColumns: readonly { readonly table: string; readonly column: string; readonly decl: string }[] = [
  { table: EVENTLOG_TABLE, column: 'sync_seq', decl: 'INTEGER' },
  { table: STATE_META_TABLE, column: 'log_epoch', decl: 'INTEGER NOT NULL DEFAULT 0' },
];

export const stateMetaDdl = [
  `CREATE TABLE IF NOT EXISTS ${STATE_META_TABLE} (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    head INTEGER NOT NULL,
    schema_hash TEXT NOT NULL,
    rebuild_complete INTEGER NOT NULL,
    log_epoch INTEGER NOT NULL DEFAULT 0
  ) STRICT`,
  `CREATE TABLE IF NOT EXISTS ${CHANGESETS_TABLE} (
    seq INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL,
    changeset BLOB
  ) STRICT`,
];

/** Tables that are ours, never the app's: reactivity and devtools skip them. */
export function isSystemTable(name: string): boolean {
  return name.startsWith('__ls_') || name.startsWith('sqlite_');
}

/** Adds the `addedColumns` of `table` that an older database lacks; true when any was added. */
export function ensureAddedColumns(db: { all(sql: string): readonly Record<string, unknown>[]; exec(sql: string): void }, table: string): boolean {
  const wanted = addedColumns.filter((c) => c.table === table);
  if (wanted.length === 0) return false;
  const have = new Set(db.all(`PRAGMA table_info(${table})`).map((r) => String(r['name'])));
  let added = false;
  for (const c of wanted) {
    if (have.has(c.column)) continue;
    db.exec(`ALTER TABLE ${table} ADD COLUMN ${c.column} ${c.decl}`);
    added = true;
  }
  return added;
}

/** `__ls_sync` key of the eventlog's epoch: bumped by every rebase that rewrites the log's tail. */
export const LOG_EPOCH_KEY = 'log_epoch';
