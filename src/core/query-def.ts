/**
 * `queryDb(...)`: a live query definition, LiveStore's name and shapes:
 *
 *   queryDb(todos.where({ completed: false }), { label: 'activeTodos' })
 *   queryDb((get) => todos.where({ completed: get(filter$) === 'done' }), { label: 'filtered' })
 *   queryDb({ query: sql`SELECT * FROM todos WHERE id = ${id}`, schema: Schema.Array(Todo) })
 *   queryDb({ query: 'SELECT count(*) AS n FROM todos', bindValues: [] })
 *
 * Like signals and computeds it is store-independent; each store instantiates it once as a
 * node that re-runs when a table it reads (SQLite's tables_used()) is written. With `schema`,
 * the raw rows are decoded (our Schema) or validated (any Standard Schema) into the result.
 */
import { LsError } from './errors.ts';
import type { Queryable } from './query-builder-types.ts';
import type { LiveDef, LiveGet, DepKey } from './reactive/definitions.ts';
import { isCodec, isStandardSchema, walkOf } from './schema/codec.ts';
import { formatIssues, type Issue } from './schema/issues.ts';
import { validateSync } from './schema/validate-sync.ts';
import type { SqlQuery } from './sql-tag.ts';
import type { BindValues, SqlRow } from './sql-value.ts';
import type { InferOutput, StandardSchemaV1 } from './standard-schema.ts';

export interface RawQueryInput<S extends StandardSchemaV1 | undefined = StandardSchemaV1 | undefined> {
  readonly query: string | SqlQuery;
  readonly schema?: S;
  readonly bindValues?: BindValues;
}

/** What a query node runs: SQL, binds and how to turn rows into the result. */
export interface ResolvedQuerySpec<T> {
  readonly sql: string;
  readonly bindValues: BindValues;
  readonly decode: (rows: readonly SqlRow[]) => T;
}

export interface QueryDef<T> extends LiveDef<T> {
  readonly _tag: 'query';
  readonly deps?: DepKey;
  /** Produces the SQL for this run; `get` reads other defs (and records the dependency). */
  readonly resolve: (get: LiveGet, sessionId: string | undefined) => ResolvedQuerySpec<T>;
}

type ResultOf<Q> = Q extends Queryable<infer R> ? R : never;
type RawResult<S> = S extends StandardSchemaV1 ? InferOutput<S> : ReadonlyArray<SqlRow>;

let nextQueryId = 1;

function fromQueryable<T>(q: Queryable<T>, sessionId: string | undefined): ResolvedQuerySpec<T> {
  const compiled = q.asSql(sessionId === undefined ? {} : { sessionId });
  if (compiled.kind !== 'read') throw new LsError('LS_INVALID_QUERY', `queryDb takes a read query; got a write (${compiled.sql}). Commit an event to write.`);
  return { sql: compiled.sql, bindValues: compiled.bindValues, decode: (rows) => compiled.decode(rows) };
}

export function decodeWithSchema(schema: StandardSchemaV1, rows: readonly SqlRow[], label: string): unknown {
  if (isCodec(schema)) {
    const issues: Issue[] = [];
    const out = walkOf(schema)('decode', rows, [], issues);
    if (issues.length > 0) throw new LsError('LS_DECODE_FAILED', `Query '${label}': rows do not match its schema: ${formatIssues(issues)}.`);
    return out;
  }
  return validateSync(schema, rows, `rows of query '${label}'`);
}

function fromRaw<T>(input: RawQueryInput, label: string): ResolvedQuerySpec<T> {
  const text = typeof input.query === 'string' ? input.query : input.query.sql;
  if (typeof text !== 'string' || text.trim() === '') throw new LsError('LS_INVALID_QUERY', `queryDb({ query }) needs SQL text (query '${label}').`);
  const bindValues = input.bindValues ?? (typeof input.query === 'string' ? [] : input.query.bindValues);
  const schema = input.schema;
  if (schema !== undefined && !isStandardSchema(schema)) throw new LsError('LS_INVALID_SCHEMA', `queryDb({ schema }) of '${label}' is not a Standard Schema.`);
  const decode = schema === undefined ? (rows: readonly SqlRow[]) => rows as unknown as T : (rows: readonly SqlRow[]) => decodeWithSchema(schema, rows, label) as T;
  return { sql: text, bindValues, decode };
}

function isQueryable(x: unknown): x is Queryable<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { asSql?: unknown }).asSql === 'function';
}

export function queryDb<Q extends Queryable<unknown>>(query: Q | ((get: LiveGet) => Q), options?: { label?: string; deps?: DepKey }): QueryDef<ResultOf<Q>>;
export function queryDb<S extends StandardSchemaV1 | undefined = undefined>(query: RawQueryInput<S> | ((get: LiveGet) => RawQueryInput<S>), options?: { label?: string; deps?: DepKey }): QueryDef<RawResult<S>>;
export function queryDb(query: unknown, options: { label?: string; deps?: DepKey } = {}): QueryDef<unknown> {
  const label = options.label ?? (isQueryable(query) ? String(query) : `query#${nextQueryId}`);
  nextQueryId++;
  const once = (q: unknown, sessionId: string | undefined): ResolvedQuerySpec<unknown> => {
    if (isQueryable(q)) return fromQueryable(q, sessionId);
    if (typeof q === 'object' && q !== null && 'query' in q) return fromRaw(q as RawQueryInput, label);
    throw new LsError('LS_INVALID_QUERY', `queryDb('${label}'): pass a query builder (todos.where(…)), { query, schema?, bindValues? }, or a function (get) => one of them.`);
  };
  if (typeof query !== 'function' && !isQueryable(query) && !(typeof query === 'object' && query !== null && 'query' in query)) once(query, undefined);
  const resolve = typeof query === 'function' ? (get: LiveGet, sid: string | undefined) => once((query as (g: LiveGet) => unknown)(get), sid) : (_get: LiveGet, sid: string | undefined) => once(query, sid);
  const def: { -readonly [K in keyof QueryDef<unknown>]: QueryDef<unknown>[K] } = { _tag: 'query', label, resolve };
  if (options.deps !== undefined) def.deps = options.deps;
  return Object.freeze(def);
}

export function isQueryDef(x: unknown): x is QueryDef<unknown> {
  return typeof x === 'object' && x !== null && (x as { _tag?: unknown })._tag === 'query' && typeof (x as { resolve?: unknown }).resolve === 'function';
}
