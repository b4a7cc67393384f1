/**
 * Runs a read query of any accepted shape against a database and decodes it:
 * a query builder (anything with `asSql()`), a compiled query, `sql`-tag output / `{ sql, bindValues }`,
 * LiveStore's `{ query, bindValues }`, or a plain SQL string (raw rows).
 */
import { LsError } from '../core/errors.ts';
import type { CompiledQuery } from '../core/query-builder-types.ts';
import type { BindValues, SqlRow } from '../core/sql-value.ts';
import type { SqliteDatabase } from '../sqlite/sqlite-database.ts';

export interface ResolvedQuery {
  readonly sql: string;
  readonly bindValues: BindValues;
  readonly decode: (rows: readonly SqlRow[]) => unknown;
}

const raw = (rows: readonly SqlRow[]): unknown => rows;

export function resolveQuery(q: unknown, sessionId: string | undefined): ResolvedQuery {
  if (typeof q === 'string') return { sql: q, bindValues: [], decode: raw };
  if (typeof q === 'object' && q !== null) {
    const asSql = (q as { asSql?: unknown }).asSql;
    if (typeof asSql === 'function') {
      const compiled = (asSql as (o: object) => CompiledQuery).call(q, sessionId === undefined ? {} : { sessionId });
      return { sql: compiled.sql, bindValues: compiled.bindValues, decode: (rows) => compiled.decode(rows) };
    }
    const o = q as { sql?: unknown; query?: unknown; bindValues?: unknown; decode?: unknown };
    const text = typeof o.sql === 'string' ? o.sql : typeof o.query === 'string' ? o.query : undefined;
    if (text !== undefined) {
      const bindValues = (o.bindValues ?? []) as BindValues;
      const decode = typeof o.decode === 'function' ? (o.decode as (rows: readonly SqlRow[]) => unknown) : raw;
      return { sql: text, bindValues, decode };
    }
  }
  throw new LsError('LS_INVALID_QUERY', 'Not a query: pass a query builder (todos.where(…)), queryDb(…), sql`…`, or { query, bindValues }.');
}

export function runQuery(db: SqliteDatabase, q: unknown, sessionId: string | undefined): unknown {
  const r = resolveQuery(q, sessionId);
  return r.decode(db.all(r.sql, r.bindValues));
}
