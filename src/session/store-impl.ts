/**
 * The Store's implementation (the facade in store.ts holds the documented API and argument
 * checks). One session = one in-memory SQLite with the full state, the reactive graph over it,
 * the session log of pending events, and the connection to the leader.
 *
 * Commit: validate + encode args → materialize in one savepoint, recording a changeset per event
 * → one reactive refresh for the tables written → queue for the leader (one push per microtask).
 */
import { nanoid } from 'nanoid';
import { LsError, toLsError } from '../core/errors.ts';
import { encodeEventArgs } from '../core/event-args.ts';
import type { EventInput, LiveEvent } from '../core/live-event.ts';
import type { LsSchema } from '../core/make-schema.ts';
import { queryDb } from '../core/query-def.ts';
import { isLiveDef, type LiveDef, type SignalDef } from '../core/reactive/definitions.ts';
import { ReactiveGraph } from '../core/reactive/reactive-graph.ts';
import { runQuery } from '../leader/run-query.ts';
import type { SqliteDatabase } from '../sqlite/sqlite-database.ts';
import type { LeaderConnection, LeaderUpdate } from './adapter.ts';
import { LiveNodes } from './live-nodes.ts';
import { SessionLog } from './session-log.ts';
import { DISABLED_SYNC_STATUS, SyncStatusCell } from '../sync/sync-status.ts';

export interface StoreImplOptions {
  readonly schema: LsSchema;
  readonly storeId: string;
  readonly clientId: string;
  readonly sessionId: string;
  readonly db: SqliteDatabase;
  readonly leader: LeaderConnection;
  readonly head: number;
  readonly onError: (err: LsError) => void;
}

export class StoreImpl {
  readonly schema: LsSchema;
  readonly storeId: string;
  readonly clientId: string;
  readonly sessionId: string;
  readonly graph: ReactiveGraph;
  readonly nodes: LiveNodes;
  readonly log: SessionLog;
  readonly leader: LeaderConnection;
  readonly onError: (err: LsError) => void;
  #db: SqliteDatabase;
  #outbox: (readonly LiveEvent[])[] = [];
  #outboxScheduled = false;
  #unsubscribeLeader: () => void;
  #shutdown: Promise<void> | undefined;
  /** Commits so far (devtools, tests). */
  commitCount = 0;
  /** The leader's sync status as last reported ('disabled' when the store does not sync). */
  readonly syncStatus: SyncStatusCell;

  constructor(o: StoreImplOptions) {
    this.schema = o.schema;
    this.storeId = o.storeId;
    this.clientId = o.clientId;
    this.sessionId = o.sessionId;
    this.leader = o.leader;
    this.onError = o.onError;
    this.#db = o.db;
    this.graph = new ReactiveGraph({ onError: (err) => this.onError(toLsError(err, 'LS_INTERNAL', 'a subscription failed')) });
    this.nodes = new LiveNodes(this.graph, () => this.db, o.sessionId);
    this.log = new SessionLog({ db: () => this.db, schema: o.schema, sessionId: o.sessionId, head: o.head });
    this.syncStatus = new SyncStatusCell(o.leader.syncStatus ?? DISABLED_SYNC_STATUS, (err) => this.onError(toLsError(err, 'LS_INTERNAL', 'a sync status listener threw')));
    this.#unsubscribeLeader = o.leader.subscribe((u) => this.#onLeaderUpdate(u));
  }

  get db(): SqliteDatabase {
    if (this.#shutdown !== undefined) throw shutDownError();
    return this.#db;
  }

  #assertOpen(): void {
    if (this.#shutdown !== undefined) throw shutDownError();
  }

  get isShutdown(): boolean {
    return this.#shutdown !== undefined;
  }

  commit(inputs: readonly EventInput[]): readonly LiveEvent[] {
    this.#assertOpen();
    const now = Date.now();
    let seq = this.log.localHead;
    const events: LiveEvent[] = inputs.map((input) => {
      const def = this.schema.events.get(input.name);
      if (def === undefined) {
        throw new LsError('LS_UNKNOWN_EVENT', `Unknown event '${input.name}': it is not in this store's schema. Known events: ${[...this.schema.events.keys()].join(', ')}.`, {
          details: { event: input.name },
        });
      }
      const args = encodeEventArgs(def, input.args, { sessionId: this.sessionId });
      const id = input.id ?? nanoid();
      const parentSeqNum = seq;
      seq += 1;
      return { id, name: input.name, args, seqNum: seq, parentSeqNum, clientId: this.clientId, sessionId: this.sessionId, createdAt: now };
    });
    const written = this.log.commitLocal(events);
    this.commitCount++;
    this.#refresh(written);
    this.#outbox.push(events);
    if (!this.#outboxScheduled) {
      this.#outboxScheduled = true;
      queueMicrotask(() => this.#sendOutbox());
    }
    return events;
  }

  #sendOutbox(): void {
    this.#outboxScheduled = false;
    const groups = this.#outbox;
    this.#outbox = [];
    if (groups.length === 0 || this.#shutdown !== undefined) return;
    try {
      this.leader.push(groups);
    } catch (err) {
      this.onError(toLsError(err, 'LS_LEADER_UNAVAILABLE', 'could not send commits to the leader'));
    }
  }

  #refresh(written: ReadonlySet<string>): void {
    if (written.size === 0) return;
    const tables = written.has('*') ? [...this.schema.tables.keys()] : written;
    this.graph.batch(() => this.graph.invalidateTables(tables));
  }

  #onLeaderUpdate(u: LeaderUpdate): void {
    if (this.#shutdown !== undefined) return;
    try {
      if (u._tag === 'appended') this.#refresh(this.log.applyAppended(u.events).written);
      else if (u._tag === 'rejected') {
        this.#refresh(this.log.rejectGroup(u.eventIds).written);
        this.onError(LsError.fromWire(u.error));
      } else if (u._tag === 'reset') {
        this.#sendOutbox(); // what this tab committed goes to the leader before its new state is taken
        this.#refresh(this.log.reset(u.image, u.head, u.known).written);
      } else if (u._tag === 'rebase') {
        this.#sendOutbox();
        const applied = this.log.rebase(u.changes, u.base, u.head);
        if (applied === undefined) this.leader.resync(); // a reset with the image follows
        else this.#refresh(applied.written);
      } else {
        this.syncStatus.set(u.status);
      }
    } catch (err) {
      this.onError(toLsError(err, 'LS_INTERNAL', 'applying a leader update failed'));
    }
  }

  query(q: unknown): unknown {
    const db = this.db;
    if (isLiveDef(q)) return this.graph.get(this.nodes.nodeFor(q));
    return runQuery(db, q, this.sessionId);
  }

  subscribe(q: unknown, cb: (value: unknown) => void, options: { skipInitial?: boolean; onError?: (err: unknown) => void } = {}): () => void {
    this.#assertOpen();
    const anonymous = !isLiveDef(q);
    const def: LiveDef<unknown> = anonymous ? (queryDb(q as never) as LiveDef<unknown>) : (q as LiveDef<unknown>);
    const node = this.nodes.nodeFor(def);
    const unsubscribe = this.graph.subscribe(node, cb, {
      ...(options.skipInitial === undefined ? {} : { skipInitial: options.skipInitial }),
      ...(options.onError === undefined ? {} : { onError: options.onError }),
    });
    let done = false;
    return () => {
      if (done) return;
      done = true;
      unsubscribe();
      if (anonymous) this.nodes.release(def);
    };
  }

  setSignal<T>(def: SignalDef<T>, value: T | ((prev: T) => T)): void {
    this.#assertOpen();
    this.graph.set(this.nodes.nodeFor(def), value);
  }

  async flush(options: { upstream?: boolean } = {}): Promise<void> {
    this.#assertOpen();
    this.#sendOutbox();
    await this.leader.flush(options);
  }

  shutdown(): Promise<void> {
    if (this.#shutdown === undefined) this.#sendOutbox();
    this.#shutdown ??= (async () => {
      const db = this.#db;
      try {
        await this.leader.flush();
      } finally {
        this.#unsubscribeLeader();
        await this.leader.close();
        db.close();
      }
    })();
    return this.#shutdown;
  }
}

export function shutDownError(): LsError {
  return new LsError('LS_STORE_SHUTDOWN', 'This store has been shut down; create a new one with createStorePromise(…).');
}
