/**
 * The system tables of ls-elements, beside the app's state tables.
 *
 * Two databases per store (the leader's design, see leader-core.ts):
 * - the eventlog db: `__ls_eventlog` (every event, by local seqNum) and `__ls_sync` (heads);
 * - the state db: the app's tables plus `__ls_state`, one row saying up to which seqNum the state
 *   is materialized and with which schema hash, and whether a rebuild completed. It is written in
 *   the same transaction as the materialized rows, so state and its head never disagree.
 * The state db is what a new tab receives as a serialized image: it never holds the eventlog, so
 * boot cost does not grow with the length of the log.
 */

export const EVENTLOG_TABLE = '__ls_eventlog';
export const SYNC_TABLE = '__ls_sync';
export const STATE_META_TABLE = '__ls_state';

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
    client_only INTEGER NOT NULL DEFAULT 0
  ) STRICT`,
  `CREATE TABLE IF NOT EXISTS ${SYNC_TABLE} (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT`,
];

export const stateMetaDdl = [
  `CREATE TABLE IF NOT EXISTS ${STATE_META_TABLE} (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    head INTEGER NOT NULL,
    schema_hash TEXT NOT NULL,
    rebuild_complete INTEGER NOT NULL
  ) STRICT`,
];

/** Tables that are ours, never the app's: reactivity and devtools skip them. */
export function isSystemTable(name: string): boolean {
  return name.startsWith('__ls_') || name.startsWith('sqlite_');
}
