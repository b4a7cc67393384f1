/**
 * ls-elements/elements: the custom elements and the Lit controller, listed. Importing it
 * registers `<ls-store>`, `<ls-query>` and `<ls-sync-status>` where custom elements exist (a
 * second copy finds them defined and leaves them). The distribution entry (ls-elements.ts) adds
 * the core API. The element API below is what the demo and the README rely on: keep it stable.
 *
 * <ls-store>   attributes: store-id (default 'default'), schema (module URL exporting `schema`,
 *              optionally `events`; opens the web adapter: OPFS, shared by tabs), sync-url (not
 *              wired yet: warns), reset-persistence (boolean; with a schema URL), state (reflected:
 *              idle|opening|ready|error|closed). Properties: storeId, schema (LsSchema or URL), store
 *              (hand in your own; never shut down here), adapter, options (LsStoreOptions), syncUrl,
 *              resetPersistence, state, error, readonly ready: Promise<Store>, storage, status
 *              (StoreStatus). Method: commit(name, args) → LiveEvent[] (name: event name or key of
 *              the module's `events`). Events: ls-ready { store }, ls-error { error, code }.
 *              Provides the store to descendants (storeContext); shuts its own store on removal.
 * <ls-query>   attributes: sql, params (JSON array/object), key (row column, default 'id'), state
 *              (reflected: idle|loading|ready|error). Properties: query (QueryInput), render
 *              ((row, index) => Lit template), sql, params, key (column or (row, i) => key), store,
 *              readonly rows, error. Method: rowFor(node) → row. Child <template> with {{row.x}} /
 *              {{index}} text and attribute bindings (?attr toggles). Events: ls-change { rows },
 *              ls-error { error, code }.
 * <ls-sync-status>  no attributes to set; reflects phase, online, pending, storage. Properties:
 *              store, readonly status (StoreStatus | undefined). Shadow parts: sync, pending,
 *              storage. Event: ls-status { status }.
 * QueryController(host, query?, { store?, onChange?, onError? }): value, status, error, query, store.
 */
import { defineElements } from './define-elements.ts';

export { LsStore } from './ls-store.ts';
export type { LsStoreOptions, LsStoreState } from './ls-store.ts';
export { LsQuery } from './ls-query.ts';
export type { RowRender } from './ls-query.ts';
export { QueryController } from './query-controller.ts';
export type { QueryControllerOptions, QueryInput, QueryStatus } from './query-controller.ts';
export { storeContext } from './store-context.ts';
export type { LsErrorEventDetail } from './element-error.ts';
export type { KeyOf } from './template-list.ts';
export { LsSyncStatus } from './ls-sync-status.ts';
export type { StoreStatus, SyncStatus, SyncPhase, StorageKind } from './store-status.ts';
export { defineElements };

defineElements();
