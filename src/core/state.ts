/**
 * Entry of the state definitions: `State.SQLite.table`, column types, `clientDocument`,
 * `materializers`, `makeState` (see state-sqlite.ts for the list).
 */
export * as State from './state-namespace.ts';
