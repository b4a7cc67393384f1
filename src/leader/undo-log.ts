/**
 * The leader's undo log: the changeset of every event a sync rebase may move, in the state db's
 * `__ls_changesets` (keyed by local seq), written in the same savepoint as the event's rows.
 *
 * A rebase moves the log's tail from the oldest pending synced event on (leader-sync.ts), so only
 * events at or above that floor need a changeset: the pending events themselves, and what was
 * appended after the first of them (clientOnly events, upstream events). Rows below the floor can
 * never be used again and are pruned when the server confirms. Undoing the tail is then one
 * inverted changeset per moved event, newest first, instead of a replay of the whole log.
 *
 * A missing row (events stored before sync was on, or materialized by a rebuild that did not
 * record) makes `tail` return undefined, and the caller rebuilds from the log instead.
 */
import type { LiveEvent } from '../core/live-event.ts';
import type { LsSchema } from '../core/make-schema.ts';
import type { SqliteDatabase } from '../sqlite/sqlite-database.ts';
import type { ChangeRecorder } from '../sqlite/changesets.ts';
import { materializeEvent } from './materialize.ts';
import { CHANGESETS_TABLE } from './system-tables.ts';

/** Records changes to the app's tables only (never `__ls_state` or this table). */
export function startAppRecorder(db: SqliteDatabase, schema: LsSchema): ChangeRecorder {
  return db.startSession(appTables(schema));
}

/** Materializes `event` (numbered) into `db` and stores its changeset; returns the tables written. */
export function materializeRecorded(db: SqliteDatabase, schema: LsSchema, event: LiveEvent): Set<string> {
  const recorder = startAppRecorder(db, schema);
  try {
    const written = materializeEvent(db, schema, event, event.sessionId);
    db.run(`INSERT OR REPLACE INTO ${CHANGESETS_TABLE} (seq, event_id, changeset) VALUES (?, ?, ?)`, [event.seqNum, event.id, recorder.changeset()]);
    return written;
  } finally {
    recorder.close();
  }
}

/** For an event that changed nothing here (skipped, quarantined): an empty changeset, not a gap. */
export function recordNothing(db: SqliteDatabase, event: LiveEvent): void {
  db.run(`INSERT OR REPLACE INTO ${CHANGESETS_TABLE} (seq, event_id, changeset) VALUES (?, ?, NULL)`, [event.seqNum, event.id]);
}

/** The changesets of seq `from`..`to`, newest first; undefined if any of them was not recorded. */
export function undoTail(db: SqliteDatabase, from: number, to: number): (Uint8Array | null)[] | undefined {
  if (to < from) return [];
  const rows = db.all(`SELECT seq, changeset FROM ${CHANGESETS_TABLE} WHERE seq >= ? AND seq <= ? ORDER BY seq DESC`, [from, to]);
  if (rows.length !== to - from + 1) return undefined;
  return rows.map((r) => (r['changeset'] instanceof Uint8Array ? r['changeset'] : null));
}

/** Undoes recorded changesets (newest first); throws, changing nothing kept, if one does not apply. */
export function applyUndo(db: SqliteDatabase, changesets: readonly (Uint8Array | null)[]): void {
  for (const cs of changesets) if (cs !== null && cs.byteLength > 0) db.applyChangeset(db.invertChangeset(cs));
}

/** Forgets the changesets of seq < `floor` (confirmed, never moved again) and of seq >= `from`. */
export function forgetUndo(db: SqliteDatabase, range: { readonly below?: number; readonly from?: number }): void {
  if (range.below !== undefined) db.run(`DELETE FROM ${CHANGESETS_TABLE} WHERE seq < ?`, [range.below]);
  if (range.from !== undefined) db.run(`DELETE FROM ${CHANGESETS_TABLE} WHERE seq >= ?`, [range.from]);
}

/** Number of changesets held (tests, devtools). */
export function undoCount(db: SqliteDatabase): number {
  return Number(db.get(`SELECT count(*) AS n FROM ${CHANGESETS_TABLE}`)?.['n'] ?? 0);
}

const tablesOf = new WeakMap<LsSchema, readonly string[]>();

/** The names of the app's tables. */
function appTables(schema: LsSchema): readonly string[] {
  let names = tablesOf.get(schema);
  if (names === undefined) {
    names = [...schema.tables.values()].map((t) => t.name);
    tablesOf.set(schema, names);
  }
  return names;
}
