/**
 * The query builder's internal description of a query, built call by call and compiled to SQL
 * by query-builder-compile.ts. Values are already encoded for SQLite when they enter the AST
 * (so a bad value fails at the call that passed it); only SessionIdSymbol waits for compile
 * time, when the store knows the session id.
 */
import { LsError } from './errors.ts';
import type { SqlRow, SqlValue } from './sql-value.ts';
import type { AnyColumnDef } from './columns.ts';
import { SessionIdSymbol } from './session-id-symbol.ts';

/** What the builder needs to know about its table. */
export interface TableShape {
  readonly name: string;
  readonly columns: Readonly<Record<string, AnyColumnDef>>;
  readonly columnNames: readonly string[];
  decodeRow(raw: SqlRow): unknown;
}

export type BindSlot = SqlValue | SessionIdSymbol;

export type SqlOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'NOT LIKE' | 'IN' | 'NOT IN' | 'IS NULL' | 'IS NOT NULL';

export interface Condition {
  readonly column: string;
  readonly op: SqlOp;
  readonly values: readonly BindSlot[];
}

export interface OrderTerm {
  readonly column: string;
  readonly direction: 'asc' | 'desc';
}

export type Assignment = readonly [column: string, value: BindSlot];

export interface SelectAst {
  readonly kind: 'select';
  /** undefined: all columns (`SELECT *`). */
  readonly columns: readonly string[] | undefined;
  /** One column selected: rows are plucked to that column's values. */
  readonly pluck: boolean;
  readonly where: readonly Condition[];
  readonly orderBy: readonly OrderTerm[];
  readonly limit: number | undefined;
  readonly offset: number | undefined;
  readonly first: { readonly fallback: (() => unknown) | undefined } | undefined;
}

export interface CountAst {
  readonly kind: 'count';
  readonly where: readonly Condition[];
}

export interface OnConflict {
  readonly target: readonly string[];
  readonly action: 'ignore' | 'replace' | 'update';
  readonly update: readonly Assignment[];
}

export interface InsertAst {
  readonly kind: 'insert';
  readonly values: readonly Assignment[];
  readonly onConflict: OnConflict | undefined;
  readonly returning: readonly string[] | undefined;
}

export interface UpdateAst {
  readonly kind: 'update';
  readonly values: readonly Assignment[];
  readonly where: readonly Condition[];
  readonly returning: readonly string[] | undefined;
}

export interface DeleteAst {
  readonly kind: 'delete';
  readonly where: readonly Condition[];
  readonly returning: readonly string[] | undefined;
}

export type QueryAst = SelectAst | CountAst | InsertAst | UpdateAst | DeleteAst;

export const SELECT_ALL: SelectAst = Object.freeze({
  kind: 'select',
  columns: undefined,
  pluck: false,
  where: [],
  orderBy: [],
  limit: undefined,
  offset: undefined,
  first: undefined,
});

export function invalidQuery(table: TableShape, message: string): LsError {
  return new LsError('LS_INVALID_QUERY', `Query on table "${table.name}": ${message}`, { details: { table: table.name } });
}

/** The column, or LS_INVALID_QUERY listing the columns there are. */
export function columnOf(table: TableShape, name: unknown): AnyColumnDef {
  const column = typeof name === 'string' && Object.prototype.hasOwnProperty.call(table.columns, name) ? table.columns[name] : undefined;
  if (column === undefined) {
    throw invalidQuery(table, `there is no column ${typeof name === 'string' ? `"${name}"` : String(name)} (columns: ${table.columnNames.join(', ')}).`);
  }
  return column;
}

/** Encodes one app value for a column, naming the column when it does not fit. */
export function encodeFor(table: TableShape, name: string, value: unknown): BindSlot {
  const column = columnOf(table, name);
  if (value === SessionIdSymbol) {
    if (column.sqlType !== 'TEXT') throw invalidQuery(table, `SessionIdSymbol can only stand for a text column's value, not "${name}".`);
    return SessionIdSymbol;
  }
  try {
    return column.encode(value);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new LsError('LS_INVALID_QUERY', `Query on table "${table.name}": invalid value for column "${name}": ${why}.`, {
      cause: err,
      details: { table: table.name, column: name },
    });
  }
}
