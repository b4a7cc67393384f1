/**
 * `State.SQLite.makeState({ tables, materializers, materializerVersion? })`: the state half of a
 * schema, the SQLite tables and the handlers that write them.
 *
 * `tables` is a record (`{ todos, uiState }`) or an array; client documents bring their own
 * derived set-materializer, added here. `materializerVersion` (default 0) is part of the schema
 * hash: bump it when a handler's behaviour changes so stores rebuild their state from the
 * eventlog (changing table DDL does that by itself).
 */
import { LsError } from './errors.ts';
import type { AnyMaterializerFn, MaterializerRecord } from './materializers.ts';
import { isClientDocumentDef } from './client-document.ts';
import { isTableDef, type AnyTableDef } from './table.ts';
import { isPlainObject } from './schema/codec.ts';

export type TableInput = Readonly<Record<string, AnyTableDef>> | readonly AnyTableDef[];

export interface MakeStateOptions<T extends TableInput = TableInput> {
  readonly tables: T;
  /** From State.SQLite.materializers(events, {...}), or a plain record keyed by event name. */
  readonly materializers?: MaterializerRecord;
  readonly materializerVersion?: number;
}

export interface StateDef<T extends TableInput = TableInput> {
  readonly _tag: 'state';
  readonly tables: ReadonlyMap<string, AnyTableDef>;
  /** Keyed as given (event names, or record keys that makeSchema resolves), plus derived ones. */
  readonly materializers: ReadonlyMap<string, AnyMaterializerFn>;
  readonly materializerVersion: number;
  /** Type carrier only. */
  readonly '~tables'?: T;
}

function invalid(message: string): LsError {
  return new LsError('LS_INVALID_SCHEMA', `makeState: ${message}`);
}

export function makeState<const T extends TableInput>(options: MakeStateOptions<T>): StateDef<T> {
  if (!isPlainObject(options)) throw invalid('takes { tables, materializers }.');
  const list: unknown[] = Array.isArray(options.tables) ? [...options.tables] : isPlainObject(options.tables) ? Object.values(options.tables) : [];
  if (list.length === 0) throw invalid('needs at least one table in tables: { … }.');
  const tables = new Map<string, AnyTableDef>();
  for (const t of list) {
    if (!isTableDef(t)) throw invalid('every entry of tables must be a State.SQLite.table(…) or clientDocument(…).');
    const existing = tables.get(t.name);
    if (existing !== undefined && existing !== t) throw invalid(`two tables are named "${t.name}"; table names must be unique.`);
    tables.set(t.name, t);
  }
  const indexOwners = new Map<string, string>();
  for (const t of tables.values()) {
    for (const index of t.indexes) {
      const owner = indexOwners.get(index.name);
      if (owner !== undefined) throw invalid(`index "${index.name}" is defined on "${owner}" and "${t.name}"; SQLite index names are global.`);
      indexOwners.set(index.name, t.name);
    }
  }
  const version = options.materializerVersion ?? 0;
  if (!Number.isSafeInteger(version) || version < 0) throw invalid(`materializerVersion must be a non-negative integer, got ${String(version)}.`);
  const materializers = new Map<string, AnyMaterializerFn>();
  const given = options.materializers ?? {};
  if (!isPlainObject(given)) throw invalid('materializers must come from State.SQLite.materializers(events, {...}).');
  for (const [name, fn] of Object.entries(given)) {
    if (typeof fn !== 'function') throw invalid(`materializer "${name}" is not a function.`);
    materializers.set(name, fn);
  }
  for (const t of tables.values()) {
    if (!isClientDocumentDef(t)) continue;
    if (materializers.has(t.set.name)) throw invalid(`"${t.set.name}" is the derived event of client document "${t.name}"; do not define a materializer for it.`);
    materializers.set(t.set.name, t.setMaterializer);
  }
  return Object.freeze({ _tag: 'state', tables, materializers, materializerVersion: version }) as StateDef<T>;
}
