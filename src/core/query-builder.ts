/**
 * The query builder: an immutable value that records one query call by call
 * (`todos.where({ completed: false }).orderBy('text').limit(10)`) and compiles it with
 * `asSql()`. Every call returns a new builder, so a builder can be shared and extended freely.
 *
 * The typed interfaces in query-builder-types.ts decide what may follow what at compile time;
 * the same rules are checked here at run time for plain-JS callers (LS_INVALID_QUERY).
 */
import { LsError } from './errors.ts';
import type { CompileOptions, CompiledQuery, OrderDirection, Queryable } from './query-builder-types.ts';
import {
  columnOf, encodeFor, invalidQuery, SELECT_ALL,
  type Assignment, type QueryAst, type SelectAst, type TableShape,
} from './query-builder-ast.ts';
import { parseWhere } from './query-builder-where.ts';
import { compileQuery } from './query-builder-compile.ts';
import { isPlainObject } from './schema/codec.ts';

const BRAND = Symbol.for('ls-elements/query-builder');

/** Whether `value` is a query builder (a table, a builder, or a client document query). */
export function isQueryBuilder(value: unknown): value is Queryable {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
    && typeof (value as { asSql?: unknown }).asSql === 'function';
}

/** Marks any object with `asSql` as a query builder (for builders made outside this class). */
export function brandQueryBuilder<T extends object>(value: T): T {
  Object.defineProperty(value, BRAND, { value: true });
  return value;
}

function nonNegativeInteger(table: TableShape, method: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw invalidQuery(table, `${method}(n) needs a non-negative integer, got ${typeof n === 'number' ? n : typeof n}.`);
  }
  return n;
}

export class QueryBuilderImpl {
  readonly #table: TableShape;
  readonly #ast: QueryAst;

  constructor(table: TableShape, ast: QueryAst = SELECT_ALL) {
    this.#table = table;
    this.#ast = ast;
  }

  #next(ast: QueryAst): QueryBuilderImpl {
    return new QueryBuilderImpl(this.#table, Object.freeze(ast));
  }

  #expect<K extends QueryAst['kind']>(method: string, ...kinds: K[]): Extract<QueryAst, { kind: K }> {
    const ast = this.#ast;
    if (!(kinds as string[]).includes(ast.kind)) throw invalidQuery(this.#table, `${method}() cannot be used on a ${ast.kind} query.`);
    return ast as Extract<QueryAst, { kind: K }>;
  }

  #select(method: string, allowFirst = false): SelectAst {
    const ast = this.#expect(method, 'select');
    if (ast.first !== undefined && !allowFirst) throw invalidQuery(this.#table, `${method}() cannot follow first().`);
    return ast;
  }

  select(...columns: string[]): QueryBuilderImpl {
    const ast = this.#select('select');
    for (const c of columns) columnOf(this.#table, c);
    return this.#next({ ...ast, columns: columns.length === 0 ? undefined : [...columns], pluck: columns.length === 1 });
  }

  where(...args: unknown[]): QueryBuilderImpl {
    const ast = this.#expect('where', 'select', 'count', 'update', 'delete');
    return this.#next({ ...ast, where: [...ast.where, ...parseWhere(this.#table, args)] });
  }

  orderBy(columnOrTerms: unknown, direction?: unknown): QueryBuilderImpl {
    const ast = this.#select('orderBy', true);
    const terms = Array.isArray(columnOrTerms) ? columnOrTerms : [{ col: columnOrTerms, direction }];
    const parsed = terms.map((term: unknown) => {
      const t = isPlainObject(term) ? term : {};
      columnOf(this.#table, t['col']);
      const dir = t['direction'] ?? 'asc';
      if (dir !== 'asc' && dir !== 'desc') throw invalidQuery(this.#table, `orderBy direction must be 'asc' or 'desc', got ${JSON.stringify(dir)}.`);
      return { column: t['col'] as string, direction: dir as OrderDirection };
    });
    return this.#next({ ...ast, orderBy: [...ast.orderBy, ...parsed] });
  }

  limit(n: unknown): QueryBuilderImpl {
    return this.#next({ ...this.#select('limit'), limit: nonNegativeInteger(this.#table, 'limit', n) });
  }

  offset(n: unknown): QueryBuilderImpl {
    return this.#next({ ...this.#select('offset'), offset: nonNegativeInteger(this.#table, 'offset', n) });
  }

  first(options?: { fallback?: unknown }): QueryBuilderImpl {
    const ast = this.#select('first');
    const fallback = options?.fallback;
    if (fallback !== undefined && typeof fallback !== 'function') {
      throw invalidQuery(this.#table, 'first({ fallback }) takes a function: first({ fallback: () => defaultRow }).');
    }
    return this.#next({ ...ast, first: { fallback: fallback as (() => unknown) | undefined } });
  }

  count(): QueryBuilderImpl {
    const ast = this.#select('count');
    if (ast.columns !== undefined || ast.orderBy.length > 0 || ast.limit !== undefined || ast.offset !== undefined) {
      throw invalidQuery(this.#table, 'count() cannot follow select, orderBy, limit or offset.');
    }
    return this.#next({ kind: 'count', where: ast.where });
  }

  insert(values: unknown): QueryBuilderImpl {
    this.#startWrite('insert');
    return this.#next({ kind: 'insert', values: this.#insertValues(values), onConflict: undefined, returning: undefined });
  }

  update(values: unknown): QueryBuilderImpl {
    this.#startWrite('update');
    const assignments = this.#assignments('update', values);
    if (assignments.length === 0) throw invalidQuery(this.#table, 'update(values) needs at least one column to set.');
    return this.#next({ kind: 'update', values: assignments, where: [], returning: undefined });
  }

  delete(): QueryBuilderImpl {
    this.#startWrite('delete');
    return this.#next({ kind: 'delete', where: [], returning: undefined });
  }

  onConflict(target: unknown, action: unknown, updateValues?: unknown): QueryBuilderImpl {
    const ast = this.#expect('onConflict', 'insert');
    if (ast.onConflict !== undefined) throw invalidQuery(this.#table, 'onConflict() can be used once per insert.');
    const targets = (Array.isArray(target) ? target : [target]) as unknown[];
    if (targets.length === 0) throw invalidQuery(this.#table, 'onConflict(target, …) needs at least one column.');
    for (const t of targets) columnOf(this.#table, t);
    if (action !== 'ignore' && action !== 'replace' && action !== 'update') {
      throw invalidQuery(this.#table, `onConflict action must be 'ignore', 'replace' or 'update', got ${JSON.stringify(action)}.`);
    }
    const update = action === 'update' ? this.#assignments('onConflict', updateValues) : [];
    if (action === 'update' && update.length === 0) throw invalidQuery(this.#table, "onConflict(target, 'update', values) needs at least one column to set.");
    return this.#next({ ...ast, onConflict: { target: targets as string[], action, update } });
  }

  returning(...columns: string[]): QueryBuilderImpl {
    const ast = this.#expect('returning', 'insert', 'update', 'delete');
    if (columns.length === 0) throw invalidQuery(this.#table, 'returning(...) needs at least one column.');
    for (const c of columns) columnOf(this.#table, c);
    return this.#next({ ...ast, returning: [...columns] });
  }

  asSql(options?: CompileOptions): CompiledQuery {
    return compileQuery(this.#table, this.#ast, options);
  }

  toString(): string {
    try {
      return this.asSql().sql;
    } catch (err) {
      return err instanceof LsError ? `[invalid query: ${err.message}]` : '[invalid query]';
    }
  }

  #startWrite(method: string): void {
    const ast = this.#select(method);
    if (ast !== SELECT_ALL) throw invalidQuery(this.#table, `${method}() must be called on the table itself, like todos.${method}(…).`);
  }

  #assignments(method: string, values: unknown): Assignment[] {
    if (!isPlainObject(values)) throw invalidQuery(this.#table, `${method}(values) takes an object of column values.`);
    const out: Assignment[] = [];
    // Table order, not the object's key order, so the SQL is the same however it was written.
    for (const key of Object.keys(values)) columnOf(this.#table, key);
    for (const name of this.#table.columnNames) {
      const value = values[name];
      if (value !== undefined) out.push([name, encodeFor(this.#table, name, value)]);
    }
    return out;
  }

  #insertValues(values: unknown): Assignment[] {
    if (!isPlainObject(values)) throw invalidQuery(this.#table, 'insert(values) takes an object of column values.');
    for (const key of Object.keys(values)) columnOf(this.#table, key);
    const out: Assignment[] = [];
    const missing: string[] = [];
    for (const name of this.#table.columnNames) {
      const column = columnOf(this.#table, name);
      const value = values[name];
      if (value !== undefined) out.push([name, encodeFor(this.#table, name, value)]);
      else if (column.hasDefault) out.push([name, encodeFor(this.#table, name, column.default)]);
      else if (!column.insertOptional) missing.push(name);
    }
    if (missing.length > 0) throw invalidQuery(this.#table, `insert(values) is missing ${missing.map((m) => `"${m}"`).join(', ')} (no default, not nullable).`);
    return out;
  }
}

Object.defineProperty(QueryBuilderImpl.prototype, BRAND, { value: true });
