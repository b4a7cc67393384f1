/**
 * The Store: LiveStore's documented API over one session (one tab). Arguments are checked here;
 * the logic lives in StoreImpl.
 *
 *   const store = await createStorePromise({ schema, storeId: 'todos' })
 *   store.commit(events.todoCreated({ id, text }))        // all events of one call: all or nothing
 *   store.query(tables.todos.where({ completed: false })) // synchronous, typed rows
 *   const off = store.subscribe(visibleTodos$, (todos) => render(todos))
 *   store.setSignal(filter$, 'completed')
 *   await store.flush()                                   // durable in the leader
 *   await store.shutdown()
 */
import { LsError } from '../core/errors.ts';
import type { AnyEventDef, EventDefRecord } from '../core/events.ts';
import type { EventInput, LiveEvent } from '../core/live-event.ts';
import type { LsSchema } from '../core/make-schema.ts';
import type { Queryable } from '../core/query-builder-types.ts';
import type { RawQueryInput } from '../core/query-def.ts';
import type { LiveDef, SignalDef } from '../core/reactive/definitions.ts';
import type { SqlQuery } from '../core/sql-tag.ts';
import type { SqlRow } from '../core/sql-value.ts';
import type { InferInput } from '../core/standard-schema.ts';
import type { LeaderStatus } from './adapter.ts';
import type { SyncStatus } from '../sync/sync-status.ts';
import type { StoreImpl } from './store-impl.ts';
import { createStoreDev, type StoreDev } from './store-dev.ts';

type EventsOf<S> = S extends LsSchema<infer E> ? (E extends EventDefRecord ? E[keyof E] : E extends readonly (infer D)[] ? D : AnyEventDef) : AnyEventDef;
type InputOf<D> = D extends AnyEventDef ? EventInput<D['name'], InferInput<D['schema']>> : never;
/** What `commit` accepts for schema S: the output of calling one of its event definitions. */
export type CommitInput<S> = InputOf<EventsOf<S>> | EventInput<`${string}Set`, unknown>;

export interface SubscribeOptions<T> {
  readonly onUpdate: (value: T) => void;
  /** Skip the call with the current value at subscribe time (LiveStore's skipInitialRun). */
  readonly skipInitialRun?: boolean;
  readonly onError?: (err: unknown) => void;
}

type Queryish<T> = LiveDef<T> | Queryable<T>;
type RawQuery = RawQueryInput | SqlQuery | string;

export class Store<S extends LsSchema = LsSchema> {
  readonly #impl: StoreImpl;
  /** Debug helpers: database downloads, reset, sync states. */
  readonly _dev: StoreDev;

  /** @internal use createStorePromise. */
  constructor(impl: StoreImpl) {
    this.#impl = impl;
    this._dev = createStoreDev(impl);
  }

  get storeId(): string {
    return this.#impl.storeId;
  }
  get clientId(): string {
    return this.#impl.clientId;
  }
  get sessionId(): string {
    return this.#impl.sessionId;
  }
  get schema(): S {
    return this.#impl.schema as S;
  }
  /** Where the data lives and whether this tab runs the leader. */
  /** Sync with the server: phase (disabled, connecting, syncing, synced, offline, stopped), pending count, last error. */
  get syncStatus(): SyncStatus {
    return this.#impl.syncStatus.value;
  }

  /** Calls `listener` on every change of `syncStatus`; returns the unsubscribe function. */
  subscribeSyncStatus(listener: (status: SyncStatus) => void): () => void {
    return this.#impl.syncStatus.subscribe(listener);
  }

  get storage(): LeaderStatus {
    return this.#impl.leader.status;
  }

  /**
   * Commits events atomically: every event of one call is validated and materialized, or none is.
   * Throws LS_UNKNOWN_EVENT, LS_INVALID_EVENT_ARGS, LS_MATERIALIZER_FAILED or LS_STORE_SHUTDOWN.
   */
  commit(...events: readonly CommitInput<S>[]): readonly LiveEvent[] {
    if (events.length === 0) throw new LsError('LS_INVALID_ARGUMENT', 'store.commit() needs at least one event, e.g. store.commit(events.todoCreated({ id, text })).');
    for (const [i, e] of events.entries()) {
      if (typeof e !== 'object' || e === null || typeof (e as { name?: unknown }).name !== 'string') {
        throw new LsError('LS_INVALID_ARGUMENT', `store.commit: argument ${i + 1} is not an event; build events by calling their definitions: events.todoCreated({ … }).`);
      }
    }
    return this.#impl.commit(events as readonly EventInput[]);
  }

  /** Runs a query now, synchronously, on this tab's database. */
  query<T>(query: Queryish<T>): T;
  query(query: RawQuery): ReadonlyArray<SqlRow>;
  query(query: unknown): unknown {
    return this.#impl.query(query);
  }

  /** Calls back with the current value, then after every change; returns the unsubscribe function. */
  subscribe<T>(query: Queryish<T>, onUpdate: ((value: T) => void) | SubscribeOptions<T>): () => void;
  subscribe(query: RawQuery, onUpdate: ((value: ReadonlyArray<SqlRow>) => void) | SubscribeOptions<ReadonlyArray<SqlRow>>): () => void;
  subscribe(query: unknown, arg: ((value: unknown) => void) | SubscribeOptions<unknown>): () => void {
    if (typeof arg === 'function') return this.#impl.subscribe(query, arg);
    if (typeof arg !== 'object' || arg === null || typeof arg.onUpdate !== 'function') {
      throw new LsError('LS_INVALID_ARGUMENT', 'store.subscribe(query, callback) or store.subscribe(query, { onUpdate }).');
    }
    return this.#impl.subscribe(query, arg.onUpdate, {
      ...(arg.skipInitialRun === undefined ? {} : { skipInitial: arg.skipInitialRun }),
      ...(arg.onError === undefined ? {} : { onError: arg.onError }),
    });
  }

  setSignal<T>(signal: SignalDef<T>, value: T | ((prev: T) => T)): void {
    if (typeof signal !== 'object' || signal === null || signal._tag !== 'signal') {
      throw new LsError('LS_INVALID_ARGUMENT', 'store.setSignal takes a signal(…) definition first.');
    }
    this.#impl.setSignal(signal, value);
  }

  /** Resolves when everything committed so far is durable in the leader; `{ upstream: true }`: confirmed by the sync server. */
  flush(options: { readonly upstream?: boolean } = {}): Promise<void> {
    return this.#impl.flush(options);
  }

  /** Sends what is queued, closes the leader connection and the database. Later calls throw LS_STORE_SHUTDOWN. */
  shutdown(): Promise<void> {
    return this.#impl.shutdown();
  }

  get isShutdown(): boolean {
    return this.#impl.isShutdown;
  }
}
