/**
 * The session's view of its leader: local events not yet confirmed (with the changeset each
 * recorded when it was materialized here), driven by the pure sync state machine with the
 * leader as "upstream". The leader numbers events of all tabs in one order; when another tab's
 * events land before ours, this session rebases: undo its pending changesets newest first,
 * apply the other events, re-apply its own on top (new numbers, same ids). A rebase of the leader
 * against the sync server arrives as one net changeset (`rebase`), applied the same way under
 * this session's pending events; the state image (`reset`) is the fallback.
 *
 * Limit (SQLite's session extension): a table without a PRIMARY KEY records no changes, so a
 * rebase cannot undo writes to it. Every table of State.SQLite.table has one unless the app
 * leaves it out; makeSchema does not forbid it, the README says so.
 */
import { LsError } from '../core/errors.ts';
import type { LiveEvent } from '../core/live-event.ts';
import type { LsSchema } from '../core/make-schema.ts';
import { createSyncState, merge, type SyncState } from '../core/sync-state.ts';
import { materializeEvent } from '../leader/materialize.ts';
import type { SqliteDatabase } from '../sqlite/sqlite-database.ts';
import { isStorageFailure } from '../sqlite/sqlite-error.ts';

export interface ApplyOutcome {
  /** Tables whose content may have changed; `'*'` when a rebase ran (every table). */
  readonly written: ReadonlySet<string>;
  readonly rebased: boolean;
}

/** How this session followed the leader's sync rebases so far (devtools, tests). */
export interface RebaseCounts {
  /** By the leader's net changeset. */
  byChanges: number;
  /** By a new state image (the leader rebuilt, or the changes did not apply here). */
  byImage: number;
}

export class SessionLog {
  #state: SyncState;
  readonly rebases: RebaseCounts = { byChanges: 0, byImage: 0 };
  readonly #changesets = new Map<string, Uint8Array | null>();
  readonly #db: () => SqliteDatabase;
  readonly #schema: LsSchema;

  constructor(options: { db: () => SqliteDatabase; schema: LsSchema; sessionId: string; head: number }) {
    this.#db = options.db;
    this.#schema = options.schema;
    this.#state = createSyncState({ upstreamHead: options.head });
  }

  get state(): SyncState {
    return this.#state;
  }

  get localHead(): number {
    return this.#state.localHead;
  }

  /** Materializes and records one commit group; all or nothing. Returns the tables written. */
  commitLocal(events: readonly LiveEvent[]): Set<string> {
    const db = this.#db();
    const written = new Set<string>();
    const recorded = new Map<string, Uint8Array | null>();
    db.savepoint(() => {
      for (const e of events) {
        const { tables, changeset } = this.#materializeRecording(e);
        for (const t of tables) written.add(t);
        recorded.set(e.id, changeset);
      }
    });
    const r = merge(this.#state, { _tag: 'local-push', events });
    if (r._tag === 'reject') throw new LsError('LS_INTERNAL', `session log refused its own commit: ${r.message}`);
    this.#state = r.state;
    for (const [id, cs] of recorded) this.#changesets.set(id, cs);
    return written;
  }

  #materializeRecording(e: LiveEvent): { tables: Set<string>; changeset: Uint8Array | null } {
    const db = this.#db();
    const recorder = db.startSession();
    try {
      const tables = materializeEvent(db, this.#schema, e, e.sessionId);
      return { tables, changeset: recorder.changeset() };
    } finally {
      recorder.close();
    }
  }

  #undo(events: readonly LiveEvent[]): void {
    const db = this.#db();
    for (const e of events) {
      const cs = this.#changesets.get(e.id);
      if (cs) db.applyChangeset(db.invertChangeset(cs));
      this.#changesets.delete(e.id);
    }
  }

  /** Events the leader appended (any tab's, ours included). */
  applyAppended(events: readonly LiveEvent[]): ApplyOutcome {
    const r = merge(this.#state, { _tag: 'upstream-advance', events });
    if (r._tag === 'reject') throw new LsError('LS_INTERNAL', `leader update out of order (${r.reason}): ${r.message}`);
    const db = this.#db();
    const written = new Set<string>();
    for (const e of r.confirmed) this.#changesets.delete(e.id);
    if (r._tag === 'advance') {
      db.savepoint(() => {
        for (const e of r.apply) for (const t of materializeEvent(db, this.#schema, e, e.sessionId)) written.add(t);
      });
      this.#state = r.state;
      return { written, rebased: false };
    }
    db.savepoint(() => {
      this.#undo(r.rollback);
      for (const e of r.apply) materializeEvent(db, this.#schema, e, e.sessionId);
      for (const e of r.reapply) this.#changesets.set(e.id, this.#materializeRecording(e).changeset);
    });
    this.#state = r.state;
    return { written: new Set(['*']), rebased: true };
  }

  /**
   * The leader rewrote its log (a rebase against the sync server): take its state image as the
   * confirmed state and put our events it has not appended yet back on top, renumbered. `known`:
   * pending events the image already holds (written by a leader that died before announcing them).
   */
  reset(image: Uint8Array, head: number, known: readonly string[] = []): ApplyOutcome {
    const db = this.#db();
    const held = new Set(known);
    const pending = this.#state.pending.filter((e) => !held.has(e.id));
    db.deserialize(image);
    this.rebases.byImage++;
    this.#changesets.clear();
    let h = head;
    const renumbered = pending.map((e) => ({ ...e, parentSeqNum: h, seqNum: ++h }));
    db.savepoint(() => {
      for (const e of renumbered) this.#changesets.set(e.id, this.#materializeRecording(e).changeset);
    });
    this.#state = createSyncState({ upstreamHead: head, pending: renumbered });
    return { written: new Set(['*']), rebased: true };
  }

  /**
   * The leader rebased and sends the net change from `base` to `head`: undo our pending events,
   * apply it, put them back on top, renumbered. Undefined (nothing changed) when this session is
   * not at `base` or the change does not apply here; the caller then asks for the image.
   */
  rebase(changes: Uint8Array | null, base: number, head: number): ApplyOutcome | undefined {
    if (this.#state.upstreamHead !== base) return undefined;
    const db = this.#db();
    const pending = this.#state.pending;
    let h = head;
    const renumbered = pending.map((e) => ({ ...e, parentSeqNum: h, seqNum: ++h }));
    const recorded = new Map<string, Uint8Array | null>();
    try {
      db.savepoint(() => {
        for (let i = pending.length - 1; i >= 0; i--) {
          const cs = this.#changesets.get(pending[i]!.id);
          if (cs) db.applyChangeset(db.invertChangeset(cs));
        }
        if (changes !== null) db.applyChangeset(changes);
        for (const e of renumbered) recorded.set(e.id, this.#materializeRecording(e).changeset);
      });
    } catch (err) {
      if (isStorageFailure(err)) throw err;
      return undefined;
    }
    this.#changesets.clear();
    for (const [id, cs] of recorded) this.#changesets.set(id, cs);
    this.#state = createSyncState({ upstreamHead: head, pending: renumbered });
    this.rebases.byChanges++;
    return { written: new Set(['*']), rebased: true };
  }

  /** The leader refused a commit group of ours: undo it and everything after, re-apply the rest. */
  rejectGroup(eventIds: readonly string[]): ApplyOutcome {
    const ids = new Set(eventIds);
    const pending = this.#state.pending;
    const first = pending.findIndex((e) => ids.has(e.id));
    if (first < 0) return { written: new Set(), rebased: false };
    const tail = pending.slice(first);
    const keep = tail.filter((e) => !ids.has(e.id));
    const db = this.#db();
    let head = first === 0 ? this.#state.upstreamHead : pending[first - 1]!.seqNum;
    const renumbered = keep.map((e) => ({ ...e, parentSeqNum: head, seqNum: ++head }));
    db.savepoint(() => {
      this.#undo([...tail].reverse());
      for (const e of renumbered) this.#changesets.set(e.id, this.#materializeRecording(e).changeset);
    });
    this.#state = createSyncState({ upstreamHead: this.#state.upstreamHead, pending: [...pending.slice(0, first), ...renumbered] });
    return { written: new Set(['*']), rebased: true };
  }
}
