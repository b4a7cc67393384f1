/**
 * The distribution entry (`dist/ls-elements.js`, and the classic script's global `LS`): the whole
 * public API of src/index.ts plus the elements, listed. Importing it registers the elements where
 * custom elements exist; in a worker (the leader worker importing a no-build page's schema module,
 * which imports this file) it only provides the API: the build makes Lit's base class safe to
 * evaluate without a DOM (see vite.config.ts), and defineElements does nothing there.
 * test/node/build.test.ts checks that every export of src/index.ts is also exported here.
 */
export {
  Schema, validateSync, Events, State, makeSchema, SessionIdSymbol, sql, queryDb, signal, computed,
  LsError, isLsError, createStorePromise, Store, makeInMemoryAdapter, makePersistedAdapter,
} from '../src/index.ts';
export type {
  TypeOf, JsonValue, EventDef, AnyEventDef, LsSchema, SqlQuery, QueryDef, SignalDef, ComputedDef, LiveDef,
  LsErrorCode, LiveEvent, EventInput, StandardSchemaV1, CreateStoreOptions, CommitInput, SubscribeOptions,
  Adapter, LeaderConnection, PersistedAdapter, PersistedAdapterOptions, UnknownEventHandling, UnknownEventInfo, LeaderWorkerConstructor,
} from '../src/index.ts';
export {
  LsStore, LsQuery, LsSyncStatus, QueryController, storeContext, defineElements,
} from './index.ts';
export type {
  LsStoreOptions, LsStoreState, RowRender, QueryControllerOptions, QueryInput, QueryStatus, LsErrorEventDetail,
  KeyOf, StoreStatus, SyncStatus, SyncPhase, StorageKind,
} from './index.ts';
// <ls-devtools> is loaded on demand (its own chunk in the ESM build): `await loadDevtools()`.
export { loadDevtools } from './devtools/load-devtools.ts';
