/**
 * Compiles a query AST to SQL text with `?` placeholders plus bind values, and the decoder for
 * its rows. Identifiers are always quoted; values only ever travel as bind values, so nothing
 * an app passes as a value can change the SQL. The output is deterministic (columns in table
 * order, conditions in call order), which tests and query caches rely on.
 */
import type { SqlRow, SqlValue } from './sql-value.ts';
import { quoteIdent } from './sql-ident.ts';
import { resolveSessionId } from './session-id-symbol.ts';
import type { CompileOptions, CompiledQuery } from './query-builder-types.ts';
import { columnOf, type Assignment, type BindSlot, type Condition, type QueryAst, type SelectAst, type TableShape } from './query-builder-ast.ts';

class SqlWriter {
  readonly binds: SqlValue[] = [];
  constructor(private readonly table: TableShape, private readonly options: CompileOptions) {}
  bind(slot: BindSlot): string {
    this.binds.push(resolveSessionId(slot, this.options.sessionId, `A query on table "${this.table.name}"`));
    return '?';
  }
  where(conditions: readonly Condition[]): string {
    if (conditions.length === 0) return '';
    const parts = conditions.map((c) => {
      const col = quoteIdent(c.column);
      if (c.op === 'IS NULL' || c.op === 'IS NOT NULL') return `${col} ${c.op}`;
      if (c.op === 'IN' || c.op === 'NOT IN') return `${col} ${c.op} (${c.values.map((v) => this.bind(v)).join(', ')})`;
      return `${col} ${c.op} ${this.bind(c.values[0] ?? null)}`;
    });
    return ` WHERE ${parts.join(' AND ')}`;
  }
  assignments(values: readonly Assignment[]): string {
    return values.map(([column, value]) => `${quoteIdent(column)} = ${this.bind(value)}`).join(', ');
  }
}

function returningSql(columns: readonly string[] | undefined): string {
  return columns === undefined ? '' : ` RETURNING ${columns.map(quoteIdent).join(', ')}`;
}

/** Decodes the picked columns of a row (or the whole row). */
function rowDecoder(table: TableShape, columns: readonly string[] | undefined, pluck: boolean): (row: SqlRow) => unknown {
  if (columns === undefined) return (row) => table.decodeRow(row);
  const defs = columns.map((name) => [name, columnOf(table, name)] as const);
  if (pluck && defs[0] !== undefined) {
    const [name, def] = defs[0];
    return (row) => def.decode(row[name] ?? null);
  }
  return (row) => {
    const out: Record<string, unknown> = {};
    for (const [name, def] of defs) out[name] = def.decode(row[name] ?? null);
    return out;
  };
}

function compileSelect(table: TableShape, ast: SelectAst, w: SqlWriter): { sql: string; decode: (rows: readonly SqlRow[]) => unknown } {
  const cols = ast.columns === undefined ? '*' : ast.columns.map(quoteIdent).join(', ');
  let sql = `SELECT ${cols} FROM ${quoteIdent(table.name)}${w.where(ast.where)}`;
  if (ast.orderBy.length > 0) sql += ` ORDER BY ${ast.orderBy.map((o) => `${quoteIdent(o.column)} ${o.direction.toUpperCase()}`).join(', ')}`;
  const limit = ast.first !== undefined ? 1 : ast.limit;
  if (limit !== undefined) sql += ` LIMIT ${w.bind(limit)}`;
  if (ast.offset !== undefined) sql += `${limit === undefined ? ' LIMIT -1' : ''} OFFSET ${w.bind(ast.offset)}`;
  const decodeRow = rowDecoder(table, ast.columns, ast.pluck);
  const first = ast.first;
  if (first === undefined) return { sql, decode: (rows) => rows.map(decodeRow) };
  return {
    sql,
    decode: (rows) => {
      const row = rows[0];
      if (row !== undefined) return decodeRow(row);
      return first.fallback === undefined ? undefined : first.fallback();
    },
  };
}

export function compileQuery(table: TableShape, ast: QueryAst, options: CompileOptions = {}): CompiledQuery {
  const w = new SqlWriter(table, options);
  const name = quoteIdent(table.name);
  let sql: string;
  let decode: (rows: readonly SqlRow[]) => unknown;
  let returning: readonly string[] | undefined;
  switch (ast.kind) {
    case 'select':
      ({ sql, decode } = compileSelect(table, ast, w));
      return freeze({ sql, bindValues: w.binds, kind: 'read', table: table.name, decode });
    case 'count': {
      sql = `SELECT COUNT(*) AS "count" FROM ${name}${w.where(ast.where)}`;
      decode = (rows) => {
        const raw = rows[0]?.['count'] ?? 0;
        return Number(raw);
      };
      return freeze({ sql, bindValues: w.binds, kind: 'read', table: table.name, decode });
    }
    case 'insert': {
      sql = ast.values.length === 0
        ? `INSERT INTO ${name} DEFAULT VALUES`
        : `INSERT INTO ${name} (${ast.values.map(([c]) => quoteIdent(c)).join(', ')}) VALUES (${ast.values.map(([, v]) => w.bind(v)).join(', ')})`;
      const conflict = ast.onConflict;
      if (conflict !== undefined) {
        sql += ` ON CONFLICT (${conflict.target.map(quoteIdent).join(', ')})`;
        if (conflict.action === 'update') {
          sql += ` DO UPDATE SET ${w.assignments(conflict.update)}`;
        } else {
          // 'replace': every other column takes the inserted row's value; `excluded` holds
          // the full row that would have been inserted, defaults included.
          const others = conflict.action === 'replace' ? table.columnNames.filter((c) => !conflict.target.includes(c)) : [];
          sql += others.length === 0 ? ' DO NOTHING' : ` DO UPDATE SET ${others.map((c) => `${quoteIdent(c)} = excluded.${quoteIdent(c)}`).join(', ')}`;
        }
      }
      returning = ast.returning;
      break;
    }
    case 'update':
      sql = `UPDATE ${name} SET ${w.assignments(ast.values)}${w.where(ast.where)}`;
      returning = ast.returning;
      break;
    case 'delete':
      sql = `DELETE FROM ${name}${w.where(ast.where)}`;
      returning = ast.returning;
      break;
  }
  sql += returningSql(returning);
  const decodeReturned = returning === undefined ? undefined : rowDecoder(table, returning, false);
  decode = (rows) => (decodeReturned === undefined ? undefined : rows.map(decodeReturned));
  return freeze({ sql, bindValues: w.binds, kind: 'write', table: table.name, decode });
}

function freeze(q: CompiledQuery): CompiledQuery {
  Object.freeze(q.bindValues);
  return Object.freeze(q);
}
