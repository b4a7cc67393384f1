/**
 * `State.SQLite.clientDocument({ name, schema, default: { id?, value } })`: one JSON document per
 * id (by default one per session, `id: SessionIdSymbol`) for local UI state, like React's
 * useState but persisted and shared by the profile's tabs. As in LiveStore it is a table
 * (`id` text primary key, `value` json) with:
 *
 * - `doc.get(id?)`: a query for the value; the default when the row does not exist yet, and
 *   stored objects are completed from the default (fields added to the schema later read fine);
 * - `doc.set(partial, id?)`: builds the derived clientOnly event `${name}Set`. For object values
 *   only the given fields change (merged in SQL with json_set); other values are replaced.
 *
 * The event and its materializer join the schema automatically (makeState/makeSchema).
 * Differences from LiveStore: `get` never writes the default row; there is no `get(id, { default })`
 * option and no `partialSet: false` option; with a foreign (non-ls-elements) schema, partial
 * values are stored unvalidated and the whole value is validated when read.
 */
import { LsError } from './errors.ts';
import type { EventInput } from './live-event.ts';
import type { SqlRow } from './sql-value.ts';
import type { StandardSchemaV1 } from './standard-schema.ts';
import { json, text, type ColumnDef } from './columns.ts';
import { defineEvent, type AnyEventDef } from './events.ts';
import type { AnyMaterializerFn } from './materializers.ts';
import type { CompileOptions, CompiledQuery, QueryBuilderBase } from './query-builder-types.ts';
import { brandQueryBuilder } from './query-builder.ts';
import { quoteIdent } from './sql-ident.ts';
import { createTable, type TableDef } from './table.ts';
import { resolveSessionId, type SessionIdSymbol } from './session-id-symbol.ts';
import { isCodec, isPlainObject, type AnyCodec, type Codec, type TypeOf } from './schema/codec.ts';
import { findNonJson } from './schema/json-value.ts';
import { stringCodec, unknownCodec } from './schema/primitives.ts';
import { recordOf } from './schema/collections.ts';
import { partial, struct, type StructCodec, type StructFields } from './schema/struct.ts';
import { validateSync } from './schema/validate-sync.ts';

export type DocumentId = string | SessionIdSymbol;
/** What `set` takes: a partial object for object values, the whole value otherwise. */
export type DocumentSetValue<T> = T extends readonly unknown[] | Date ? T : T extends object ? { readonly [K in keyof T]?: T[K] } : T;
export type DocumentColumns<T> = { readonly id: ColumnDef<string, false>; readonly value: ColumnDef<T, false> };
export type SetArgs<T> = { readonly id: DocumentId; readonly value: DocumentSetValue<T> };

export interface ClientDocumentOptions<Name extends string, S extends StandardSchemaV1> {
  readonly name: Name;
  readonly schema: S;
  readonly default: { readonly id?: DocumentId; readonly value: TypeOf<S> };
}

export interface ClientDocumentDef<Name extends string, S extends StandardSchemaV1> extends TableDef<Name, DocumentColumns<TypeOf<S>>> {
  readonly isClientDocument: true;
  readonly valueSchema: S;
  readonly default: { readonly id: DocumentId | undefined; readonly value: TypeOf<S> };
  /** The document's value (the default until first set). `id` defaults to `default.id`. */
  get(id?: DocumentId): QueryBuilderBase<TypeOf<S>, 'read'>;
  /**
   * The derived `${name}Set` event: call it to build the event to commit,
   * `store.commit(uiState.set({ filter: 'done' }))`; it is also the event definition
   * (`events = { …, uiStateSet: tables.uiState.set }` works, as in LiveStore).
   */
  readonly set: ClientDocumentSetEvent<`${Name}Set`, TypeOf<S>>;
  readonly setMaterializer: AnyMaterializerFn;
}

export interface ClientDocumentSetEvent<Name extends string, T> extends AnyEventDef {
  (value: DocumentSetValue<T>, id?: DocumentId): EventInput<Name, SetArgs<T>>;
  readonly name: Name;
  readonly schema: Codec<SetArgs<T>>;
}

export type AnyClientDocumentDef = ClientDocumentDef<string, StandardSchemaV1>;

function schemaError(name: string, message: string): LsError {
  return new LsError('LS_INVALID_SCHEMA', `Client document "${name}": ${message}`, { details: { table: name } });
}

export function clientDocument<const Name extends string, S extends StandardSchemaV1>(options: ClientDocumentOptions<Name, S>): ClientDocumentDef<Name, S> {
  const { name, schema } = options;
  if (typeof options.default !== 'object' || options.default === null || !('value' in options.default)) {
    throw schemaError(String(name), 'needs default: { value } (and usually id: SessionIdSymbol).');
  }
  const defaultId = options.default.id;
  const defaultValue: unknown = options.default.value;
  const ours = isCodec(schema);
  // Encoded default: merged under stored values on read, and inserted on the first set.
  let encodedDefault: unknown = defaultValue;
  try {
    if (ours) encodedDefault = schema.encode(defaultValue);
    else validateSync(schema, defaultValue, 'default value', 'LS_INVALID_SCHEMA');
  } catch (err) {
    throw schemaError(name, `the default value does not match the schema: ${err instanceof Error ? err.message : String(err)}`);
  }
  const bad = findNonJson(encodedDefault);
  if (bad !== undefined) throw schemaError(name, `the default value is not JSON: ${bad.reason}.`);
  const partialSet = ours ? schema.kind === 'struct' : isPlainObject(defaultValue);
  const partialCodec: AnyCodec | undefined = ours && partialSet ? (partial(schema as unknown as StructCodec<StructFields>) as unknown as AnyCodec) : undefined;
  const valueArgSchema: StandardSchemaV1 = partialCodec ?? (partialSet ? recordOf({ key: stringCodec, value: unknownCodec }) : schema);

  const table = createTable({ name, columns: { id: text({ primaryKey: true }), value: json({ schema }) } }, true);

  const decodeStored = (raw: unknown): unknown => {
    if (typeof raw !== 'string') throw new LsError('LS_DECODE_FAILED', `Client document "${name}": stored value is not JSON text.`);
    const parsed: unknown = JSON.parse(raw);
    const merged = partialSet && isPlainObject(parsed) && isPlainObject(encodedDefault) ? { ...encodedDefault, ...parsed } : parsed;
    return ours ? schema.decode(merged) : validateSync(schema, merged, `stored value of client document "${name}"`, 'LS_DECODE_FAILED');
  };

  const resolveId = (id: DocumentId | undefined, what: string): DocumentId => {
    const resolved = id ?? defaultId;
    if (resolved === undefined) throw new LsError('LS_INVALID_ARGUMENT', `${name}.${what}: pass an id, or give the client document a default id (default: { id: SessionIdSymbol, … }).`);
    return resolved;
  };

  const get = (id?: DocumentId) => {
    const docId = resolveId(id, 'get()');
    const sql = `SELECT ${quoteIdent('value')} FROM ${quoteIdent(name)} WHERE ${quoteIdent('id')} = ?`;
    const asSql = (compile: CompileOptions = {}): CompiledQuery<unknown, 'read'> => Object.freeze({
      sql,
      bindValues: Object.freeze([resolveSessionId(docId, compile.sessionId, `${name}.get()`)]),
      kind: 'read' as const,
      table: name,
      decode: (rows: readonly SqlRow[]) => (rows[0] === undefined ? defaultValue : decodeStored(rows[0]['value'])),
    });
    return Object.freeze(brandQueryBuilder({ asSql, toString: () => sql }));
  };


  const setMaterializer = ((args: { id: string; value: unknown }) => {
    const { id, value } = args;
    const insertSql = `INSERT INTO ${quoteIdent(name)} (${quoteIdent('id')}, ${quoteIdent('value')}) VALUES (?, ?) ON CONFLICT (${quoteIdent('id')})`;
    if (!partialSet || !isPlainObject(value)) {
      const full = JSON.stringify(ours ? schema.encode(value) : value);
      return { sql: `${insertSql} DO UPDATE SET ${quoteIdent('value')} = excluded.${quoteIdent('value')}`, bindValues: [id, full], writeTables: [name] };
    }
    const encodedPartial = (partialCodec === undefined ? value : partialCodec.encode(value)) as Record<string, unknown>;
    const first = JSON.stringify(ours ? schema.encode({ ...(defaultValue as object), ...value }) : { ...(encodedDefault as object), ...value });
    const pairs: string[] = [];
    const binds: (string | null)[] = [id, first];
    for (const [key, v] of Object.entries(encodedPartial)) {
      if (v === undefined) continue;
      if (key.includes('"')) throw new LsError('LS_MATERIALIZER_FAILED', `Client document "${name}": field names with '"' cannot be set partially.`);
      pairs.push('?, json(?)');
      binds.push(`$."${key}"`, JSON.stringify(v));
    }
    const update = pairs.length === 0 ? ' DO NOTHING' : ` DO UPDATE SET ${quoteIdent('value')} = json_set(${quoteIdent('value')}, ${pairs.join(', ')})`;
    return { sql: insertSql + update, bindValues: binds, writeTables: [name] };
  }) as unknown as AnyMaterializerFn;

  const setName = `${name}Set`;
  const build = (value: unknown, id?: DocumentId): EventInput<string> => Object.freeze({ name: setName, args: Object.freeze({ id: resolveId(id, 'set()'), value }) });
  const set = defineEvent({ name: setName, schema: struct({ id: stringCodec, value: valueArgSchema }) }, true, true, build);

  Object.defineProperties(table, {
    valueSchema: { value: schema, enumerable: true },
    default: { value: Object.freeze({ id: defaultId, value: defaultValue }), enumerable: true },
    get: { value: get },
    set: { value: set, enumerable: true },
    setMaterializer: { value: setMaterializer },
  });
  return Object.freeze(table) as unknown as ClientDocumentDef<Name, S>;
}

export function isClientDocumentDef(value: unknown): value is AnyClientDocumentDef {
  return typeof value === 'object' && value !== null && (value as { isClientDocument?: unknown }).isClientDocument === true
    && typeof (value as { setMaterializer?: unknown }).setMaterializer === 'function';
}
