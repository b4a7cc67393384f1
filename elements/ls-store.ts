/**
 * `<ls-store>`: opens a Store and provides it to its descendants through the Lit context
 * protocol (`storeContext`), so `<ls-query>` and `QueryController`s below it find it.
 *
 *   <ls-store store-id="todos" schema="./schema.js"> … </ls-store>    (no-build pages)
 *   el.schema = schema  /  el.store = await createStorePromise(…)       (bundled apps)
 *
 * Lifecycle: `state` (reflected) goes idle → opening → ready | error, and closed after a
 * disconnect. A store this element opened is shut down when it leaves the document; a store
 * handed in through `store` belongs to the caller and is never shut down here. A disconnect
 * followed by a connect in the same task (a DOM move) keeps the store open. Changing
 * `store-id`, `schema`, `adapter`, `options` or `reset-persistence` reopens. A schema given as a
 * module URL opens the web adapter (OPFS, shared by tabs; the leader worker imports that URL);
 * a schema object without `options.schemaUrl` opens createStorePromise's default (in memory).
 *
 * `ready` resolves with the store (a new promise after each close); `ls-ready` fires with it.
 * Failures fire `ls-error` (see element-error.ts). `commit(name, args)` commits by event name.
 */
import { ReactiveElement, type PropertyValues } from 'lit';
import { ContextProvider } from '@lit/context';
import { createStorePromise, LsError, makeInMemoryAdapter, makePersistedAdapter } from '../src/index.ts';
import type { Adapter, CommitInput, CreateStoreOptions, LiveEvent, LsSchema, Store } from '../src/index.ts';
import { storeContext } from './store-context.ts';
import { eventByName, resolveSchema, type ResolvedSchema } from './schema-module.ts';
import { dispatchLsError, toElementError } from './element-error.ts';
import { createDeferred, type Deferred } from './deferred.ts';
import { readStoreStatus, type StoreStatus } from './store-status.ts';

export type LsStoreState = 'idle' | 'opening' | 'ready' | 'error' | 'closed';
/** Extra options for createStorePromise (syncPayload, boot, log, …); schema, storeId and adapter come from the element. */
export type LsStoreOptions = Partial<Omit<CreateStoreOptions<LsSchema>, 'schema' | 'storeId' | 'adapter'>>;

declare global {
  interface HTMLElementTagNameMap {
    'ls-store': LsStore;
  }
  interface HTMLElementEventMap {
    'ls-ready': CustomEvent<{ readonly store: Store }>;
  }
}

const OPEN_KEYS = ['store', 'storeId', 'schema', 'adapter', 'options', 'syncUrl', 'resetPersistence'] as const;

export class LsStore extends ReactiveElement {
  static override properties = {
    storeId: { attribute: 'store-id' },
    schema: {},
    syncUrl: { attribute: 'sync-url' },
    resetPersistence: { attribute: 'reset-persistence', type: Boolean },
    adapter: { attribute: false },
    options: { attribute: false },
    state: { reflect: true },
  };

  /** Identifies the store's data; default 'default'. */
  declare storeId: string | undefined;
  /** A schema (makeSchema(…)) or the URL of a module exporting `schema`, relative to the page. */
  declare schema: LsSchema | string | undefined;
  /** WebSocket URL of the sync server. TODO: passed on once the store has a sync option. */
  declare syncUrl: string | undefined;
  /** Deletes this store's persisted data when this tab starts the leader (development); only with a schema URL. */
  declare resetPersistence: boolean;
  /** How the store reaches its leader; default: createStorePromise's default. */
  declare adapter: Adapter | undefined;
  declare options: LsStoreOptions | undefined;
  declare state: LsStoreState;
  /** The failure that put the element into state 'error'. */
  error: LsError | undefined;

  readonly #provider = new ContextProvider(this, { context: storeContext });
  #own: Store | undefined;
  #external: Store | undefined;
  #resolved: ResolvedSchema | undefined;
  #generation = 0;
  #ready: Deferred<Store> = createDeferred();
  #moving = false;

  constructor() {
    super();
    this.resetPersistence = false;
    this.state = 'idle';
  }

  protected override createRenderRoot(): HTMLElement {
    return this; // children are the app: no shadow root
  }

  /** The store in use: the one handed in, or the one this element opened. */
  get store(): Store | undefined {
    return this.#external ?? this.#own;
  }
  set store(store: Store | undefined) {
    const old = this.store;
    this.#external = store;
    this.requestUpdate('store', old);
  }

  /** Resolves with the store once it is open. */
  get ready(): Promise<Store> {
    return this.#ready.promise;
  }

  /** Where the data lives and whether this tab runs the leader; undefined until ready. */
  get storage(): Store['storage'] | undefined {
    return this.store?.storage;
  }

  /** Storage and sync status of the open store (sync phase 'disabled' while the store does not sync); undefined until ready. */
  get status(): StoreStatus | undefined {
    const store = this.store;
    return store === undefined ? undefined : readStoreStatus(store);
  }

  /**
   * Commits one event by name, for pages without a build step: `commit('v1.TodoCreated', { id, text })`.
   * The name is the event's name, or its key when the schema module exports `events`.
   * Throws LS_UNKNOWN_EVENT, LS_INVALID_EVENT_ARGS, LS_MATERIALIZER_FAILED, or LS_STORE_SHUTDOWN
   * (before ready or after close).
   */
  commit(name: string, args?: unknown): readonly LiveEvent[] {
    const store = this.store;
    if (store === undefined || store.isShutdown) {
      throw new LsError('LS_STORE_SHUTDOWN', `<ls-store> has no open store (state '${this.state}'); await el.ready before commit(…).`);
    }
    const def = eventByName(this.#resolved ?? { schema: store.schema, eventsByKey: new Map() }, name);
    const build = def as unknown as (a: unknown) => CommitInput<LsSchema>;
    return store.commit(build(args ?? {}));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.#moving) this.#moving = false;
    else if (this.hasUpdated) void this.#open();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#moving = true;
    queueMicrotask(() => {
      if (!this.#moving) return;
      this.#moving = false;
      this.#generation++;
      this.#drop('closed');
    });
  }

  // Before the update, not after: #open sets `state` at once, which then renders in this same
  // update instead of scheduling another one.
  protected override willUpdate(changed: PropertyValues<this>): void {
    if (OPEN_KEYS.some((k) => changed.has(k))) void this.#open();
  }

  async #open(): Promise<void> {
    const generation = ++this.#generation;
    this.#resolved = undefined;
    if (this.#external !== undefined) {
      this.#drop('ready');
      return this.#announce(this.#external);
    }
    if (this.schema === undefined || !this.isConnected) return this.#drop('idle');
    this.#drop('opening');
    try {
      const resolved = await resolveSchema(this.schema, this.ownerDocument.baseURI);
      if (generation !== this.#generation) return;
      const userOnError = this.options?.onError;
      const adapter = this.adapter ?? this.#persistedAdapter(resolved);
      const store = await createStorePromise({
        ...this.options,
        schema: resolved.schema,
        ...(this.storeId === undefined ? {} : { storeId: this.storeId }),
        ...(adapter === undefined ? {} : { adapter }),
        onError: (err: LsError) => {
          userOnError?.(err);
          dispatchLsError(this, err);
        },
      });
      if (generation !== this.#generation) {
        await store.shutdown();
        return;
      }
      this.#own = store;
      this.#resolved = resolved;
      this.state = 'ready';
      this.#announce(store);
    } catch (err) {
      if (generation !== this.#generation) return;
      const error = toElementError(err, 'LS_INVALID_ARGUMENT', '<ls-store> could not open the store');
      this.error = error;
      this.state = 'error';
      this.#ready.reject(error);
      dispatchLsError(this, error);
    }
  }

  /**
   * A schema module URL (the attribute, or options.schemaUrl) means the web adapter: the leader
   * worker imports the same module, so the data persists in OPFS and is shared by the tabs.
   * A schema object alone gives an in-memory leader in this tab. `sync-url` adds sync to either.
   */
  #persistedAdapter(resolved: ResolvedSchema): Adapter | undefined {
    const schemaUrl = resolved.url ?? this.options?.schemaUrl;
    const sync = this.syncUrl === undefined || this.syncUrl === '' ? undefined : { url: this.syncUrl };
    if (schemaUrl === undefined) return sync === undefined ? undefined : makeInMemoryAdapter({ sync });
    return makePersistedAdapter({ schemaUrl, resetPersistence: this.resetPersistence, ...(sync === undefined ? {} : { sync }) });
  }

  #announce(store: Store): void {
    this.error = undefined;
    this.#provider.setValue(store);
    if (this.#ready.settled) this.#ready = createDeferred();
    this.#ready.resolve(store);
    this.dispatchEvent(new CustomEvent('ls-ready', { detail: { store }, bubbles: true, composed: true }));
  }

  /** Drops the current store (shutting down our own) and moves to `state`. */
  #drop(state: LsStoreState): void {
    const own = this.#own;
    this.#own = undefined;
    if (this.#ready.settled) this.#ready = createDeferred();
    this.#provider.setValue(this.#external);
    this.state = state;
    if (own !== undefined) {
      own.shutdown().catch((err: unknown) => dispatchLsError(this, toElementError(err, 'LS_INTERNAL', '<ls-store> could not close the store')));
    }
  }
}
