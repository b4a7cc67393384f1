/**
 * The leader's core, the same in a worker on OPFS and in-process for the in-memory adapter:
 * one eventlog db and one state db per store.
 *
 * Append: the events of one write batch (the commits that arrived in one task) are numbered after
 * the leader's head, materialized into the state db and inserted into the eventlog in one
 * transaction per db; each commit (a group) sits in its own savepoint, so a group that fails is
 * dropped alone. The eventlog commits first, then the state with its `head`: a crash between the
 * two leaves state behind the log, and the next open materializes the gap (catch-up), so the two
 * never disagree for longer than a crash. Events are deduplicated by id (a session resends what a
 * leader that died had not acknowledged).
 *
 * Storage failures (disk full: the OPFS quota; I/O errors) end the whole append, never one
 * group: SQLite may have rolled back the transaction already, so nothing may go on inside it.
 * If the eventlog committed and only the state's commit failed, the events are durable (the log
 * is the truth) and count as appended; the state is then behind, as after a crash, and is caught
 * up before the next write and before a snapshot (in memory, if the disk still refuses).
 *
 * Rebase (sync): while sync is on, every event a rebase may move keeps its changeset in the
 * state db (undo-log.ts). After leader-sync.ts rewrote the log's tail, `rebaseState` undoes the old
 * tail's changesets newest first and materializes the new tail, in one state transaction: the cost
 * is that of the moved events, not of the log. A missing changeset or one that does not apply
 * falls back to a rebuild from the log; a moved event that fails to materialize is quarantined.
 *
 * Open: a state whose schema hash differs, or whose rebuild did not complete, or which cannot be
 * read, is rebuilt from the eventlog; otherwise only the events past its head are materialized.
 * Boot of a tab takes a serialized image of the state db, never a replay of the log.
 */
import { LsError, toLsError } from '../core/errors.ts';
import { isStorageFailure } from '../sqlite/sqlite-error.ts';
import type { LiveEvent } from '../core/live-event.ts';
import type { LsSchema } from '../core/make-schema.ts';
import { SqliteDatabase } from '../sqlite/sqlite-database.ts';
import { standaloneImage } from '../sqlite/standalone-image.ts';
import { Eventlog, type StoredEvent } from './eventlog.ts';
import { materializeEvent } from './materialize.ts';
import { LOG_EPOCH_KEY, UPSTREAM_HEAD_KEY } from './system-tables.ts';
import { createAppTables, dropAppTables, readStateMeta, resetStateMeta, setStateHead, setStateHeadAndEpoch, writeStateMeta } from './state-db.ts';
import { applyUndo, forgetUndo, materializeRecorded, recordNothing, startAppRecorder, undoTail } from './undo-log.ts';

export interface AppendGroupResult {
  /** The group's events as the leader numbered them (or as already stored, for duplicates). */
  readonly events: readonly StoredEvent[];
  readonly error?: LsError;
}

export interface AppendResult {
  readonly groups: readonly AppendGroupResult[];
  readonly head: number;
  readonly writtenTables: ReadonlySet<string>;
}

export interface LeaderCoreOptions {
  readonly schema: LsSchema;
  readonly stateDb: SqliteDatabase;
  readonly eventlogDb: SqliteDatabase;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string, data?: unknown) => void;
}

const REBUILD_CHUNK = 1000;

/** What `rebaseState` did: undo the moved events (`undo`) or replay the log (`rebuild`). */
export interface RebaseStateResult {
  readonly mode: 'undo' | 'rebuild';
  /** Events materialized: the new tail for `undo`, the whole log for `rebuild`. */
  readonly materialized: number;
  readonly quarantined: readonly LsError[];
  /** `undo` only: the net change of the app's tables, from the state before to the state after (null: none). */
  readonly changes?: Uint8Array | null;
}

export class LeaderCore {
  readonly schema: LsSchema;
  readonly stateDb: SqliteDatabase;
  readonly eventlog: Eventlog;
  readonly #log: LeaderCoreOptions['log'];
  #head = 0;
  /** Sync is on: events a rebase may move keep their changeset (see the file header). */
  #undoLog = false;
  /** How the last open brought the state up to date (tests, devtools). */
  lastOpen: { readonly mode: 'fresh' | 'catch-up' | 'rebuild'; readonly materialized: number } = { mode: 'fresh', materialized: 0 };

  constructor(options: LeaderCoreOptions) {
    this.schema = options.schema;
    this.stateDb = options.stateDb;
    this.#log = options.log;
    this.eventlog = new Eventlog(options.eventlogDb);
    this.#head = this.eventlog.head();
    this.#open();
  }

  get head(): number {
    return this.#head;
  }

  /** Called by the sync client: from now on, events a rebase may move keep their changeset. */
  enableUndoLog(): void {
    this.#undoLog = true;
  }

  /** Local seq from which a rebase may move events: the oldest pending synced event, else past the head. */
  #undoFloor(): number {
    return this.eventlog.oldestPendingSeq(this.eventlog.getSyncNumber(UPSTREAM_HEAD_KEY)) ?? this.#head + 1;
  }

  /** The eventlog's epoch: bumped by every sync rebase that rewrites the log's tail. */
  get logEpoch(): number {
    return this.eventlog.getSyncNumber(LOG_EPOCH_KEY);
  }

  #open(): void {
    let meta;
    try {
      meta = readStateMeta(this.stateDb);
    } catch (err) {
      this.#log?.('warn', 'state db unreadable, rebuilding from the eventlog', err);
      meta = undefined;
    }
    if (meta !== undefined && meta.schemaHash === this.schema.hash && meta.rebuildComplete && meta.head <= this.#head && meta.logEpoch === this.eventlog.getSyncNumber(LOG_EPOCH_KEY)) {
      const missing = this.eventlog.since(meta.head, Number.MAX_SAFE_INTEGER);
      this.#materializeChunked(missing);
      this.lastOpen = { mode: 'catch-up', materialized: missing.length };
      return;
    }
    const reason = meta === undefined ? 'no state yet' : meta.schemaHash !== this.schema.hash ? 'schema changed' : !meta.rebuildComplete ? 'interrupted rebuild' : meta.logEpoch !== this.eventlog.getSyncNumber(LOG_EPOCH_KEY) ? 'eventlog rewritten since' : 'state ahead of eventlog';
    this.#rebuild(reason);
  }

  #rebuild(reason: string): void {
    const db = this.stateDb;
    const recordFrom = this.#undoLog ? this.#undoFloor() : Number.POSITIVE_INFINITY;
    db.transaction(() => {
      dropAppTables(db);
      resetStateMeta(db);
      forgetUndo(db, { from: 0 });
      createAppTables(db, this.schema);
      writeStateMeta(db, { head: 0, schemaHash: this.schema.hash, rebuildComplete: false, logEpoch: this.eventlog.getSyncNumber(LOG_EPOCH_KEY) });
    });
    let after = 0;
    let total = 0;
    for (;;) {
      const chunk = this.eventlog.since(after, REBUILD_CHUNK);
      if (chunk.length === 0) break;
      this.#materializeChunked(chunk, db, recordFrom);
      total += chunk.length;
      after = chunk[chunk.length - 1]!.seqNum;
    }
    // The completion marker is written last: an interrupted rebuild starts over at the next open.
    db.transaction(() => writeStateMeta(db, { head: this.#head, schemaHash: this.schema.hash, rebuildComplete: true, logEpoch: this.eventlog.getSyncNumber(LOG_EPOCH_KEY) }));
    if (total > 0 || reason !== 'no state yet') this.#log?.('info', `state rebuilt from the eventlog (${reason}): ${total} events`);
    this.lastOpen = { mode: reason === 'no state yet' && total === 0 ? 'fresh' : 'rebuild', materialized: total };
  }

  /**
   * Materializes stored events in order (catch-up and rebuild); an event that fails is skipped and
   * reported. Events from local seq `recordFrom` on keep their changeset (the undo log).
   */
  #materializeChunked(events: readonly StoredEvent[], db: SqliteDatabase = this.stateDb, recordFrom = Number.POSITIVE_INFINITY): void {
    for (let i = 0; i < events.length; i += REBUILD_CHUNK) {
      const chunk = events.slice(i, i + REBUILD_CHUNK);
      db.transaction(() => {
        for (const e of chunk) {
          try {
            db.savepoint(() => (e.seqNum >= recordFrom ? materializeRecorded(db, this.schema, e) : materializeEvent(db, this.schema, e, e.sessionId)));
          } catch (err) {
            if (isStorageFailure(err) || !db.inTransaction) throw err; // not the event's fault: stop
            this.#log?.('error', `event ${e.seqNum} (${e.name}) failed to materialize and was skipped`, err);
            if (e.seqNum >= recordFrom) recordNothing(db, e);
          }
        }
        setStateHead(db, chunk[chunk.length - 1]!.seqNum);
      });
    }
  }

  /** The state's own head, when it lags the eventlog after a failed state commit. */
  #stateBehind: number | undefined;

  /** True while the state db lags the eventlog (a state commit failed after the eventlog's). */
  get stateBehind(): boolean {
    return this.#stateBehind !== undefined;
  }

  /** Materializes into the state what the eventlog holds past it; throws if the storage still fails. */
  #catchUpState(): void {
    if (this.#stateBehind === undefined) return;
    this.#materializeChunked(this.eventlog.since(this.#stateBehind, Number.MAX_SAFE_INTEGER));
    this.#stateBehind = undefined;
    this.#log?.('info', 'the state caught up with the eventlog');
  }

  /** After the eventlog committed and the state's commit failed: the events stand, the state lags. */
  #stateCommitFailed(stateHead: number, err: unknown): void {
    this.#stateBehind ??= stateHead;
    this.#log?.('error', 'the state database could not commit (the events are safe in the eventlog; the state catches up at the next write)', err);
  }

  /** Appends commit groups from sessions; see the file header. */
  append(groups: readonly (readonly LiveEvent[])[], clientOnlyNames?: ReadonlySet<string>): AppendResult {
    const results: AppendGroupResult[] = [];
    const written = new Set<string>();
    const state = this.stateDb;
    const isClientOnly = (name: string): boolean => clientOnlyNames?.has(name) ?? this.schema.events.get(name)?.clientOnly === true;
    this.#catchUpState();
    let head = this.#head;
    const before = head;
    // Synced events get a provisional number in the server's order (confirmed or moved by sync).
    let syncHead = this.eventlog.syncHead();
    // With sync on, pending events (and whatever follows the first of them) keep their changesets.
    let pending = this.#undoLog && syncHead > this.eventlog.getSyncNumber(UPSTREAM_HEAD_KEY);
    let logCommitted = false;
    try {
    state.transaction(() => {
      this.eventlog.savepoint(() => {
        for (const group of groups) {
          const startHead = head;
          const startSync = syncHead;
          const startPending = pending;
          const out: StoredEvent[] = [];
          try {
            state.savepoint(() =>
              this.eventlog.savepoint(() => {
                for (const input of group) {
                  const existing = this.eventlog.byId(input.id);
                  if (existing !== undefined) {
                    out.push(existing);
                    continue;
                  }
                  // A session commits only events of its schema (unknownEventHandling is for others' events).
                  if (!this.schema.events.has(input.name)) {
                    throw new LsError('LS_UNKNOWN_EVENT', `Event '${input.name}' is not in this store's schema; add it to makeSchema({ events }).`, { details: { event: input.name, eventId: input.id } });
                  }
                  const event: StoredEvent = { ...input, seqNum: head + 1, parentSeqNum: head, clientOnly: isClientOnly(input.name) };
                  if (this.#undoLog && !event.clientOnly) pending = true;
                  const tables = pending ? materializeRecorded(state, this.schema, event) : materializeEvent(state, this.schema, event, event.sessionId);
                  for (const t of tables) written.add(t);
                  this.eventlog.insert(event, event.clientOnly ? null : ++syncHead);
                  head = event.seqNum;
                  out.push(event);
                }
              }),
            );
            results.push({ events: out });
          } catch (err) {
            // The storage failed (not this group): the whole append fails, nothing is written.
            if (isStorageFailure(err) || !state.inTransaction || !this.eventlog.inTransaction) throw err;
            head = startHead;
            syncHead = startSync;
            pending = startPending;
            results.push({ events: [], error: toLsError(err, 'LS_INTERNAL', 'append failed') });
          }
        }
      });
      logCommitted = true;
      setStateHead(state, head);
    });
    } catch (err) {
      if (!logCommitted) throw err;
      this.#stateCommitFailed(before, err);
    }
    this.#head = head;
    return { groups: results, head, writtenTables: written };
  }

  /**
   * Appends events that arrived from the sync server after everything local (no pending events
   * to move), numbered after the head, with their place in the server's order. An event that fails
   * to materialize stays in the log (it is part of the global order) and is quarantined and
   * reported instead of stopping the store.
   */
  appendUpstream(events: readonly LiveEvent[], syncMeta: Readonly<Record<string, string>> = {}): { readonly events: readonly StoredEvent[]; readonly writtenTables: ReadonlySet<string>; readonly quarantined: readonly LsError[] } {
    const out: StoredEvent[] = [];
    const written = new Set<string>();
    const quarantined: LsError[] = [];
    const state = this.stateDb;
    this.#catchUpState();
    let head = this.#head;
    const before = head;
    // Foreign events after pending ones of ours would be moved by the next rebase: keep their changesets.
    const record = this.#undoLog && this.eventlog.oldestPendingSeq(Number(syncMeta[UPSTREAM_HEAD_KEY] ?? this.eventlog.getSyncNumber(UPSTREAM_HEAD_KEY))) !== undefined;
    let logCommitted = false;
    try {
    state.transaction(() => {
      this.eventlog.savepoint(() => {
        for (const e of events) {
          if (this.eventlog.byId(e.id) !== undefined) continue;
          const event: StoredEvent = { ...e, seqNum: head + 1, parentSeqNum: head, clientOnly: false };
          try {
            state.savepoint(() => { for (const t of record ? materializeRecorded(state, this.schema, event) : materializeEvent(state, this.schema, event, event.sessionId)) written.add(t); });
          } catch (err) {
            if (isStorageFailure(err) || !state.inTransaction || !this.eventlog.inTransaction) throw err;
            const error = toLsError(err, 'LS_MATERIALIZER_FAILED', `event ${e.id} failed to materialize`);
            this.eventlog.quarantine(e, `${error.code}: ${error.message}`, true);
            quarantined.push(error);
            this.#log?.('error', `upstream event ${e.seqNum} (${e.name}) failed to materialize and was quarantined`, err);
            if (record) recordNothing(state, event);
          }
          this.eventlog.insert(event, e.seqNum);
          head = event.seqNum;
          out.push(event);
        }
        // In the same transaction as the events: a persisted upstream head never runs ahead of the log.
        for (const [k, v] of Object.entries(syncMeta)) this.eventlog.setSync(k, v);
      });
      logCommitted = true;
      setStateHead(state, head);
    });
    } catch (err) {
      if (!logCommitted) throw err;
      this.#stateCommitFailed(before, err);
    }
    this.#head = head;
    return { events: out, writtenTables: written, quarantined };
  }

  /**
   * After leader-sync.ts rewrote the eventlog from local seq `from` on (the old tail ended at
   * `oldHead`): brings the state to the new log, see the file header.
   */
  rebaseState(from: number, oldHead: number): RebaseStateResult {
    const state = this.stateDb;
    const log = this.eventlog;
    this.#head = log.head();
    const epoch = log.getSyncNumber(LOG_EPOCH_KEY);
    const undo = this.#undoLog && this.#stateBehind === undefined ? undoTail(state, from, oldHead) : undefined;
    if (undo !== undefined) {
      const tail = log.tail(from);
      const recordFrom = this.#undoFloor();
      const quarantined: LsError[] = [];
      let changes: Uint8Array | null = null;
      try {
        state.transaction(() => {
          // The net change is what the tabs apply to their copy instead of loading a new image.
          const recorder = startAppRecorder(state, this.schema);
          try {
            this.#rebaseTail(undo, from, tail, recordFrom, quarantined);
            changes = recorder.changeset();
          } finally {
            recorder.close();
          }
          setStateHeadAndEpoch(state, this.#head, epoch);
        });
        return { mode: 'undo', materialized: tail.length, quarantined, changes };
      } catch (err) {
        if (isStorageFailure(err)) throw err; // the next open rebuilds (the epochs differ)
        this.#log?.('warn', 'undoing the rebased events failed; rebuilding the state from the eventlog', err);
      }
    }
    this.#rebuild('eventlog rewritten by a rebase');
    return { mode: 'rebuild', materialized: this.lastOpen.materialized, quarantined: [] };
  }

  /** Inside rebaseState's transaction: undo the old tail, materialize the new one (recording from `recordFrom`). */
  #rebaseTail(undo: readonly (Uint8Array | null)[], from: number, tail: readonly StoredEvent[], recordFrom: number, quarantined: LsError[]): void {
    const state = this.stateDb;
    applyUndo(state, undo);
    forgetUndo(state, { below: recordFrom, from });
    for (const e of tail) {
      try {
        state.savepoint(() => (e.seqNum >= recordFrom ? materializeRecorded(state, this.schema, e) : materializeEvent(state, this.schema, e, e.sessionId)));
      } catch (err) {
        if (isStorageFailure(err) || !state.inTransaction) throw err;
        const error = toLsError(err, 'LS_MATERIALIZER_FAILED', `event ${e.id} failed to materialize`);
        this.eventlog.quarantine(e, `${error.code}: ${error.message}`, true);
        quarantined.push(error);
        this.#log?.('error', `event ${e.seqNum} (${e.name}) failed to materialize after a rebase and was quarantined`, err);
        if (e.seqNum >= recordFrom) recordNothing(state, e);
      }
    }
  }

  /** Forgets changesets no rebase can use any more (below the oldest pending event). */
  pruneUndo(): void {
    if (this.#undoLog && this.#stateBehind === undefined) forgetUndo(this.stateDb, { below: this.#undoFloor() });
  }

  /** The state db as an image for a booting tab, and the head it reflects. */
  snapshot(): { readonly image: Uint8Array; readonly head: number } {
    if (this.#stateBehind !== undefined) {
      try {
        this.#catchUpState();
      } catch (err) {
        // The disk still refuses: catch up a copy in memory, so the image matches the head.
        this.#log?.('warn', 'the state cannot catch up on disk yet; booting the tab from a copy caught up in memory', err);
        const copy = SqliteDatabase.openInMemory({ module: this.stateDb.module });
        try {
          copy.deserialize(standaloneImage(this.stateDb.serialize()));
          this.#materializeChunked(this.eventlog.since(readStateMeta(copy)?.head ?? this.#stateBehind, Number.MAX_SAFE_INTEGER), copy);
          return { image: copy.serialize(), head: this.#head };
        } finally {
          copy.close();
        }
      }
    }
    return { image: this.stateDb.serialize(), head: this.#head };
  }

  eventsSince(after: number, limit?: number): StoredEvent[] {
    return this.eventlog.since(after, limit);
  }

  assertOpen(): void {
    if (this.#head < 0) throw new LsError('LS_INTERNAL', 'leader head is negative');
  }
}
