/** `State` holds one backend, `SQLite`, as in LiveStore (`State.SQLite.table`). */
export * as SQLite from './state-sqlite.ts';
