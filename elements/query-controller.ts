/**
 * `QueryController`: a live query for any Lit element (ReactiveControllerHost), the way
 * `<ls-query>` itself uses it.
 *
 *   class TodoCount extends LitElement {
 *     #open = new QueryController(this, queryDb(tables.todos.count().where({ completed: false })))
 *     render() { return html`${this.#open.value ?? '…'} left` }
 *   }
 *
 * The store comes from the nearest `<ls-store>` (Lit context) unless one is given. The
 * controller subscribes while the host is connected and both a store and a query are known,
 * and unsubscribes on disconnect (no leaks); each new value updates the host. `status`: idle
 * (no query), loading (waiting for a store), ready, error (see `error`).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ContextConsumer } from '@lit/context';
import type { LiveDef, LsError, SqlQuery, Store } from '../src/index.ts';
// Types only, not yet exported by src/index.ts: what store.query/subscribe accept besides LiveDefs.
import type { Queryable } from '../src/core/query-builder-types.ts';
import type { RawQueryInput } from '../src/core/query-def.ts';
import { storeContext } from './store-context.ts';
import { toElementError } from './element-error.ts';

/** A queryDb/signal/computed definition, a query builder, raw `{ query, bindValues }`, sql`…` or SQL text. */
export type QueryInput<T = unknown> = LiveDef<T> | Queryable<T> | RawQueryInput | SqlQuery | string;
export type QueryStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface QueryControllerOptions<T> {
  /** Use this store instead of the nearest `<ls-store>`'s. */
  readonly store?: Store;
  /** Called with every new value (after `value` is set, before the host re-renders). */
  readonly onChange?: (value: T) => void;
  readonly onError?: (error: LsError) => void;
}

type Host = ReactiveControllerHost & HTMLElement;

export class QueryController<T = unknown> implements ReactiveController {
  /** The latest result; undefined until the first one. */
  value: T | undefined;
  status: QueryStatus = 'idle';
  error: LsError | undefined;

  readonly #host: Host;
  readonly #options: QueryControllerOptions<T>;
  #query: QueryInput<T> | undefined;
  #explicitStore: Store | undefined;
  #contextStore: Store | undefined;
  #connected = false;
  #unsubscribe: (() => void) | undefined;
  #subscribedTo: { store: Store; query: QueryInput<T> } | undefined;

  constructor(host: Host, query?: QueryInput<T>, options: QueryControllerOptions<T> = {}) {
    this.#host = host;
    this.#options = options;
    this.#query = query;
    this.#explicitStore = options.store;
    new ContextConsumer(host, {
      context: storeContext,
      subscribe: true,
      callback: (store) => {
        this.#contextStore = store;
        this.#sync();
      },
    });
    host.addController(this);
  }

  get query(): QueryInput<T> | undefined {
    return this.#query;
  }
  /** Setting another query resubscribes. */
  set query(query: QueryInput<T> | undefined) {
    this.#query = query;
    this.#sync();
  }

  /** The store in use: the one given, else the nearest `<ls-store>`'s. */
  get store(): Store | undefined {
    return this.#explicitStore ?? this.#contextStore;
  }
  set store(store: Store | undefined) {
    this.#explicitStore = store;
    this.#sync();
  }

  hostConnected(): void {
    this.#connected = true;
    this.#sync();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#sync();
  }

  /** Reports a failure that happened outside the store (say, parsing a query's params). */
  fail(error: LsError): void {
    this.#stop();
    this.#fail(error);
  }

  /** Subscribes to (store, query) when connected, after dropping any other subscription. */
  #sync(): void {
    const store = this.store;
    const query = this.#query;
    const wanted = this.#connected && store !== undefined && !store.isShutdown && query !== undefined;
    if (wanted && this.#subscribedTo?.store === store && this.#subscribedTo.query === query) return;
    this.#stop();
    if (!wanted) {
      const status: QueryStatus = query === undefined ? 'idle' : 'loading';
      if (status !== this.status) {
        this.status = status;
        this.#host.requestUpdate();
      }
      return;
    }
    this.status = 'loading';
    this.error = undefined;
    this.#subscribedTo = { store, query };
    try {
      this.#unsubscribe = store.subscribe(query as LiveDef<T>, {
        onUpdate: (value: T) => {
          this.value = value;
          this.status = 'ready';
          this.error = undefined;
          this.#options.onChange?.(value);
          this.#host.requestUpdate();
        },
        onError: (err: unknown) => this.#fail(toElementError(err, 'LS_INVALID_QUERY', 'the query failed')),
      });
    } catch (err) {
      this.#subscribedTo = undefined;
      this.#fail(toElementError(err, 'LS_INVALID_QUERY', 'could not subscribe to the query'));
    }
  }

  #stop(): void {
    const off = this.#unsubscribe;
    this.#unsubscribe = undefined;
    this.#subscribedTo = undefined;
    try {
      off?.();
    } catch {
      // the store was shut down under us: nothing left to release
    }
  }

  #fail(error: LsError): void {
    this.error = error;
    this.status = 'error';
    this.#options.onError?.(error);
    this.#host.requestUpdate();
  }
}
