/**
 * Types of the query builder on tables (LiveStore's API): which calls are allowed after which,
 * and what each compiled query decodes to. The runtime is one immutable class
 * (query-builder.ts); these interfaces only narrow what the compiler lets you chain:
 *
 *   table / select / where / orderBy / limit / offset → rows (ReadonlyArray<Row>)
 *   .select('id')           → a single column is plucked: ReadonlyArray<string> (as LiveStore)
 *   .select('id', 'text')   → ReadonlyArray<{ id, text }>
 *   .first()                → Row | undefined   (.first({ fallback: () => x }) → Row | X)
 *   .count()                → number
 *   .insert / .update / .delete → write queries (void, or rows with .returning(...))
 */
import type { SqlRow, SqlValue } from './sql-value.ts';
import type { AnyColumnDef, ColumnDef } from './columns.ts';
import type { SessionIdSymbol } from './session-id-symbol.ts';

export type QueryKind = 'read' | 'write';

export interface CompileOptions {
  /** Replaces SessionIdSymbol in values; the store passes its session id. */
  readonly sessionId?: string;
}

/** A query ready for SQLite: SQL text with `?` placeholders, bind values, and how to decode rows. */
export interface CompiledQuery<TResult = unknown, TKind extends QueryKind = QueryKind> {
  readonly sql: string;
  readonly bindValues: readonly SqlValue[];
  readonly kind: TKind;
  /** The table the query reads or writes. */
  readonly table: string;
  decode(rows: readonly SqlRow[]): TResult;
}

/** Anything that compiles to a query: every builder, and table definitions themselves. */
export interface Queryable<TResult = unknown, TKind extends QueryKind = QueryKind> {
  asSql(options?: CompileOptions): CompiledQuery<TResult, TKind>;
}

/** A write query builder, what materializers return. */
export type WriteQueryable = Queryable<unknown, 'write'>;

export type ColumnsRecord = Readonly<Record<string, AnyColumnDef>>;
export type ColName<C> = keyof C & string;
export type ColValue<C, K extends keyof C> = C[K] extends ColumnDef<infer T, boolean> ? T : never;

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type InsertOptionalKeys<C> = { [K in keyof C]: C[K] extends ColumnDef<unknown, true> ? K : never }[keyof C];
type InsertRequiredKeys<C> = Exclude<keyof C, InsertOptionalKeys<C>>;

/** A decoded row of a table with columns `C`. */
export type RowFromColumns<C> = Simplify<{ readonly [K in keyof C]: ColValue<C, K> }>;
/** What `insert` takes: columns with a default, nullable or auto-increment ones may be left out. */
export type InsertFromColumns<C> = Simplify<
  { readonly [K in InsertRequiredKeys<C>]: ColValue<C, K> | SessionIdFor<ColValue<C, K>> } & {
    readonly [K in InsertOptionalKeys<C>]?: ColValue<C, K> | SessionIdFor<ColValue<C, K>> | undefined;
  }
>;
/** What `update` and `onConflict(…, 'update', values)` take; undefined values are skipped. */
export type UpdateFromColumns<C> = { readonly [K in keyof C]?: ColValue<C, K> | SessionIdFor<ColValue<C, K>> | undefined };

/** SessionIdSymbol may stand in for string values. */
type SessionIdFor<T> = string extends T ? SessionIdSymbol : never;

export type CompareOp = '=' | '==' | '!=' | '<' | '<=' | '>' | '>=';
export type LikeOp = 'LIKE' | 'NOT LIKE' | 'like' | 'not like';
export type InOp = 'IN' | 'NOT IN' | 'in' | 'not in';
export type WhereOp = CompareOp | LikeOp | InOp;

export type WhereValue<T> =
  | T
  | SessionIdFor<T>
  | { readonly op: CompareOp; readonly value: T | SessionIdFor<T> }
  | { readonly op: LikeOp; readonly value: string }
  | { readonly op: InOp; readonly value: ReadonlyArray<T> }
  | undefined;

/** `where({ completed: false, text: { op: 'LIKE', value: '%milk%' } })`; undefined is skipped, null is IS NULL. */
export type WhereParams<C> = { readonly [K in keyof C]?: WhereValue<ColValue<C, K>> };

export interface Whereable<C, Self> {
  where(params: WhereParams<C>): Self;
  where<K extends ColName<C>>(column: K, value: ColValue<C, K> | SessionIdFor<ColValue<C, K>>): Self;
  where<K extends ColName<C>>(column: K, op: CompareOp, value: ColValue<C, K> | SessionIdFor<ColValue<C, K>>): Self;
  where<K extends ColName<C>>(column: K, op: LikeOp, value: string): Self;
  where<K extends ColName<C>>(column: K, op: InOp, value: ReadonlyArray<ColValue<C, K>>): Self;
}

export type OrderDirection = 'asc' | 'desc';
export interface OrderByTerm<C> {
  readonly col: ColName<C>;
  readonly direction?: OrderDirection;
}

export interface Orderable<C, Self> {
  orderBy(column: ColName<C>, direction?: OrderDirection): Self;
  orderBy(terms: ReadonlyArray<OrderByTerm<C>>): Self;
}

export interface QueryBuilderBase<TResult, TKind extends QueryKind> extends Queryable<TResult, TKind> {
  /** The SQL text, for debugging and labels. */
  toString(): string;
}

export interface SelectQueryBuilder<C, Item>
  extends QueryBuilderBase<ReadonlyArray<Item>, 'read'>,
    Whereable<C, SelectQueryBuilder<C, Item>>,
    Orderable<C, SelectQueryBuilder<C, Item>> {
  select(): SelectQueryBuilder<C, RowFromColumns<C>>;
  select<K extends ColName<C>>(column: K): SelectQueryBuilder<C, ColValue<C, K>>;
  select<K extends ColName<C>>(...columns: readonly [K, K, ...K[]]): SelectQueryBuilder<C, Simplify<{ readonly [P in K]: ColValue<C, P> }>>;
  limit(count: number): SelectQueryBuilder<C, Item>;
  offset(count: number): SelectQueryBuilder<C, Item>;
  first(): FirstQueryBuilder<C, Item | undefined>;
  first<F>(options: { readonly fallback: () => F }): FirstQueryBuilder<C, Item | F>;
  count(): CountQueryBuilder<C>;
}

export interface FirstQueryBuilder<C, R>
  extends QueryBuilderBase<R, 'read'>,
    Whereable<C, FirstQueryBuilder<C, R>>,
    Orderable<C, FirstQueryBuilder<C, R>> {}

export interface CountQueryBuilder<C> extends QueryBuilderBase<number, 'read'>, Whereable<C, CountQueryBuilder<C>> {}

export interface Returning<C> {
  returning<K extends ColName<C>>(...columns: readonly [K, ...K[]]): QueryBuilderBase<ReadonlyArray<Simplify<{ readonly [P in K]: ColValue<C, P> }>>, 'write'>;
}

export type ConflictTarget<C> = ColName<C> | readonly [ColName<C>, ...ColName<C>[]];

export interface InsertQueryBuilder<C> extends QueryBuilderBase<void, 'write'>, Returning<C> {
  onConflict(target: ConflictTarget<C>, action: 'ignore' | 'replace'): InsertQueryBuilder<C>;
  onConflict(target: ConflictTarget<C>, action: 'update', values: UpdateFromColumns<C>): InsertQueryBuilder<C>;
}

export interface UpdateQueryBuilder<C> extends QueryBuilderBase<void, 'write'>, Whereable<C, UpdateQueryBuilder<C>>, Returning<C> {}
export interface DeleteQueryBuilder<C> extends QueryBuilderBase<void, 'write'>, Whereable<C, DeleteQueryBuilder<C>>, Returning<C> {}

/** The query methods every table has: it reads as `SELECT *` and starts any query. */
export interface TableQueries<C> extends SelectQueryBuilder<C, RowFromColumns<C>> {
  insert(values: InsertFromColumns<C>): InsertQueryBuilder<C>;
  update(values: UpdateFromColumns<C>): UpdateQueryBuilder<C>;
  delete(): DeleteQueryBuilder<C>;
}
