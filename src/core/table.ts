/**
 * `State.SQLite.table({ name, columns, indexes?, primaryKey? })`: a SQLite table definition.
 *
 * A table def is itself a query (`SELECT *`) and starts every query on its table
 * (`todos.where(…)`, `todos.insert(…)`). It knows its DDL (`createSql()`: CREATE TABLE and
 * CREATE INDEX, IF NOT EXISTS, deterministic, so the schema hash is stable), how to decode a
 * raw row (`decodeRow`), and its row type: `type Todo = typeof todos.Type`.
 *
 * Every table needs a primary key: the session extension that records each commit's changes
 * (for rebase) ignores tables without one. Names starting with `sqlite_` or `__ls` are reserved
 * (SQLite's and our system tables).
 */
import { LsError } from './errors.ts';
import type { SqlRow, SqlValue } from './sql-value.ts';
import { quoteIdent, sqlLiteral } from './sql-ident.ts';
import { isColumnDef, type AnyColumnDef } from './columns.ts';
import { QueryBuilderImpl } from './query-builder.ts';
import type { TableShape } from './query-builder-ast.ts';
import type { ColumnsRecord, CompileOptions, CompiledQuery, InsertFromColumns, Queryable, RowFromColumns, TableQueries } from './query-builder-types.ts';
import { makeCodec, isPlainObject, type Codec, type Walk } from './schema/codec.ts';

export interface IndexDef {
  readonly name: string;
  readonly columns: readonly string[];
  readonly isUnique?: boolean;
}

export interface TableOptions<Name extends string, C extends ColumnsRecord> {
  readonly name: Name;
  readonly columns: C;
  readonly indexes?: readonly IndexDef[];
  /** A composite primary key; for one column use `primaryKey: true` on the column. */
  readonly primaryKey?: keyof C & string | readonly (keyof C & string)[];
}

/** What every table def has, whatever its columns: the type of tables in maps and schemas. */
export interface TableDefBase extends Queryable<ReadonlyArray<unknown>, 'read'> {
  readonly _tag: 'table';
  readonly name: string;
  readonly columns: ColumnsRecord;
  readonly columnNames: readonly string[];
  readonly primaryKey: readonly string[];
  readonly indexes: readonly IndexDef[];
  readonly isClientDocument: boolean;
  /** Decodes raw rows (`Schema.Array(todos.rowSchema)` for raw SQL queries). */
  readonly rowSchema: Codec<unknown, SqlRow>;
  /** CREATE TABLE IF NOT EXISTS …, then one CREATE INDEX IF NOT EXISTS … per index. */
  createSql(): string[];
  /** A raw SQLite row → the app row; throws LS_DECODE_FAILED naming the column. */
  decodeRow(raw: SqlRow): unknown;
}

export interface TableDef<Name extends string = string, C extends ColumnsRecord = ColumnsRecord> extends TableDefBase, TableQueries<C> {
  readonly name: Name;
  readonly columns: C;
  readonly columnNames: readonly (keyof C & string)[];
  readonly primaryKey: readonly (keyof C & string)[];
  readonly rowSchema: Codec<RowFromColumns<C>, SqlRow>;
  decodeRow(raw: SqlRow): RowFromColumns<C>;
  asSql(options?: CompileOptions): CompiledQuery<ReadonlyArray<RowFromColumns<C>>, 'read'>;
  /** Type carrier only: `type Todo = typeof todos.Type`. */
  readonly Type: RowFromColumns<C>;
  /** Type carrier only: what `insert` accepts. */
  readonly Insert: InsertFromColumns<C>;
}

export type AnyTableDef = TableDefBase;
/** The row type of a table def: `RowOf<typeof todos>` (same as `typeof todos.Type`). */
export type RowOf<T extends { readonly Type: unknown }> = T['Type'];

function schemaError(table: string, message: string): LsError {
  return new LsError('LS_INVALID_SCHEMA', `Table "${table}": ${message}`, { details: { table } });
}

function checkName(kind: string, name: unknown, table: string): asserts name is string {
  if (typeof name !== 'string' || name.length === 0) throw schemaError(table, `${kind} names must be non-empty strings.`);
  if (/^(sqlite_|__ls)/i.test(name)) throw schemaError(table, `${kind} name "${name}" is reserved (sqlite_… and __ls… are system names); rename it.`);
}

function decodeColumn(table: string, name: string, column: AnyColumnDef, raw: SqlValue | undefined): unknown {
  try {
    return column.decode(raw ?? null);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new LsError('LS_DECODE_FAILED', `Table "${table}", column "${name}": ${why}.`, { cause: err, details: { table, column: name } });
  }
}

function columnSql(table: string, name: string, c: AnyColumnDef, inlinePk: boolean): string {
  let sql = `${quoteIdent(name)} ${c.sqlType}`;
  if (inlinePk) sql += c.autoIncrement ? ' PRIMARY KEY AUTOINCREMENT' : ' PRIMARY KEY';
  if (!c.nullable) sql += ' NOT NULL';
  if (c.hasDefault) {
    let encoded: SqlValue;
    try {
      encoded = c.encode(c.default);
    } catch (err) {
      throw schemaError(table, `the default of column "${name}" does not fit the column: ${err instanceof Error ? err.message : String(err)}.`);
    }
    sql += ` DEFAULT ${sqlLiteral(encoded)}`;
  }
  return sql;
}

function buildDdl(name: string, columns: ColumnsRecord, primaryKey: readonly string[], indexes: readonly IndexDef[]): string[] {
  const inline = primaryKey.length === 1 ? primaryKey[0] : undefined;
  const parts = Object.entries(columns).map(([col, def]) => columnSql(name, col, def, col === inline));
  if (primaryKey.length > 1) parts.push(`PRIMARY KEY (${primaryKey.map(quoteIdent).join(', ')})`);
  const out = [`CREATE TABLE IF NOT EXISTS ${quoteIdent(name)} (${parts.join(', ')})`];
  for (const index of indexes) {
    out.push(`CREATE ${index.isUnique === true ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${quoteIdent(index.name)} ON ${quoteIdent(name)} (${index.columns.map(quoteIdent).join(', ')})`);
  }
  return out;
}

function resolvePrimaryKey(name: string, columns: ColumnsRecord, option: unknown): string[] {
  const flagged = Object.entries(columns).filter(([, c]) => c.primaryKey).map(([n]) => n);
  if (option !== undefined) {
    if (flagged.length > 0) throw schemaError(name, 'set the primary key either on a column or with the table\'s primaryKey option, not both.');
    const list = Array.isArray(option) ? (option as unknown[]) : [option];
    for (const col of list) {
      if (typeof col !== 'string' || !Object.prototype.hasOwnProperty.call(columns, col)) throw schemaError(name, `primaryKey names an unknown column ${JSON.stringify(col)}.`);
      if (columns[col]?.nullable === true) throw schemaError(name, `primary key column "${col}" cannot be nullable.`);
    }
    if (list.length === 0) throw schemaError(name, 'primaryKey needs at least one column.');
    return list as string[];
  }
  if (flagged.length > 1) throw schemaError(name, `several columns say primaryKey: true (${flagged.join(', ')}); for a composite key use the table option primaryKey: [${flagged.map((f) => `'${f}'`).join(', ')}].`);
  if (flagged.length === 0) {
    throw schemaError(name, 'needs a primary key (rebase records changes per row, and SQLite only records tables with one); add primaryKey: true to a column, e.g. id: State.SQLite.text({ primaryKey: true }).');
  }
  return flagged;
}

class TableDefImpl extends QueryBuilderImpl {
  readonly _tag = 'table';
  readonly name: string;
  readonly columns: ColumnsRecord;
  readonly columnNames: readonly string[];
  readonly primaryKey: readonly string[];
  readonly indexes: readonly IndexDef[];
  readonly isClientDocument: boolean;
  readonly rowSchema: Codec<unknown, SqlRow>;
  readonly #ddl: readonly string[];
  readonly #shape: TableShape;

  constructor(shape: TableShape, primaryKey: readonly string[], indexes: readonly IndexDef[], ddl: readonly string[], isClientDocument: boolean) {
    super(shape);
    this.#shape = shape;
    this.name = shape.name;
    this.columns = shape.columns;
    this.columnNames = shape.columnNames;
    this.primaryKey = primaryKey;
    this.indexes = indexes;
    this.isClientDocument = isClientDocument;
    this.#ddl = ddl;
    this.rowSchema = rowCodec(shape);
  }

  createSql(): string[] {
    return [...this.#ddl];
  }

  decodeRow(raw: SqlRow): unknown {
    return this.#shape.decodeRow(raw);
  }
}

/** Validates app rows, encodes them to SQLite values, and decodes raw rows. */
function rowCodec(shape: TableShape): Codec<unknown, SqlRow> {
  const walk: Walk = (mode, value, path, issues) => {
    if (!isPlainObject(value)) {
      issues.push({ message: `expected a row object of table "${shape.name}"`, path });
      return undefined;
    }
    const out: Record<string, unknown> = {};
    for (const name of shape.columnNames) {
      const column = shape.columns[name];
      if (column === undefined) continue;
      try {
        const v = value[name];
        out[name] = mode === 'decode' ? column.decode((v ?? null) as SqlValue) : mode === 'encode' ? column.encode(v) : (column.encode(v), v);
      } catch (err) {
        issues.push({ message: err instanceof Error ? err.message : String(err), path: [...path, name] });
      }
    }
    return out;
  };
  return makeCodec('row', `a row of table "${shape.name}"`, walk);
}

/** Builds the runtime parts shared by table() and clientDocument(). */
export function createTable(options: TableOptions<string, ColumnsRecord>, isClientDocument = false): AnyTableDef {
  if (typeof options !== 'object' || options === null) throw new LsError('LS_INVALID_SCHEMA', 'State.SQLite.table({ name, columns }) takes an options object.');
  const name = options.name;
  checkName('Table', name, String(name));
  if (!isPlainObject(options.columns) || Object.keys(options.columns).length === 0) throw schemaError(name, 'columns must be an object with at least one column.');
  for (const [col, def] of Object.entries(options.columns)) {
    checkName('Column', col, name);
    if (!isColumnDef(def)) throw schemaError(name, `column "${col}" is not a column definition; use State.SQLite.text(), integer(), … .`);
  }
  const columns = Object.freeze({ ...options.columns });
  const columnNames = Object.freeze(Object.keys(columns));
  const primaryKey = Object.freeze(resolvePrimaryKey(name, columns, options.primaryKey));
  const indexes = Object.freeze((options.indexes ?? []).map((index) => {
    checkName('Index', index?.name, name);
    if (!Array.isArray(index.columns) || index.columns.length === 0) throw schemaError(name, `index "${index.name}" needs at least one column.`);
    for (const col of index.columns) if (!columnNames.includes(col)) throw schemaError(name, `index "${index.name}" names an unknown column "${col}".`);
    return Object.freeze({ name: index.name, columns: Object.freeze([...index.columns]), isUnique: index.isUnique === true });
  }));
  const indexNames = indexes.map((i) => i.name);
  if (new Set(indexNames).size !== indexNames.length) throw schemaError(name, 'two indexes share a name.');
  const ddl = Object.freeze(buildDdl(name, columns, primaryKey, indexes));
  const shape: TableShape = {
    name,
    columns,
    columnNames,
    decodeRow: (raw) => {
      const out: Record<string, unknown> = {};
      for (const col of columnNames) out[col] = decodeColumn(name, col, columns[col] as AnyColumnDef, raw[col]);
      return out;
    },
  };
  return new TableDefImpl(shape, primaryKey, indexes, ddl, isClientDocument) as unknown as AnyTableDef;
}

export function table<const Name extends string, const C extends ColumnsRecord>(options: TableOptions<Name, C>): TableDef<Name, C> {
  return Object.freeze(createTable(options as unknown as TableOptions<string, ColumnsRecord>)) as unknown as TableDef<Name, C>;
}

export function isTableDef(value: unknown): value is AnyTableDef {
  return value instanceof TableDefImpl;
}
