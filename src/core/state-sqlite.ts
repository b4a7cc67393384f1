/**
 * The `State.SQLite` namespace, as a module (imported with `import * as`, so it holds both the
 * functions and the types: `State.SQLite.table(…)`, `State.SQLite.TableDef<…>`).
 */
export { text, integer, real, blob, boolean, json, datetime, datetimeInteger } from './columns.ts';
export type { ColumnDef, AnyColumnDef, ColumnKind } from './columns.ts';
export { table } from './table.ts';
export type { TableDef, TableDefBase, AnyTableDef, RowOf, IndexDef } from './table.ts';
export { clientDocument } from './client-document.ts';
export type { ClientDocumentDef, DocumentSetValue } from './client-document.ts';
export { materializers, defineMaterializer } from './materializers.ts';
export type { MaterializerContext, MaterializerFn, MaterializerResult } from './materializers.ts';
export { makeState } from './make-state.ts';
export type { StateDef } from './make-state.ts';
export type { EventDef } from './events.ts';
