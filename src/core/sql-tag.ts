/**
 * The `sql` template tag: every interpolation becomes a bind parameter, never SQL text.
 *
 *   sql`SELECT * FROM todos WHERE id = ${id} AND completed = ${false}`
 *   → { sql: 'SELECT * FROM todos WHERE id = ? AND completed = ?', bindValues: [id, 0] }
 *
 * Booleans bind as 0/1 and Dates as ISO text (as the boolean and datetime columns store them);
 * an array becomes a parenthesised list (`IN ${ids}` → `IN (?, ?)`); a nested sql`…` fragment
 * is spliced in with its own bind values. Identifiers cannot be interpolated (write them in the
 * template). LiveStore's `sql` tag only concatenates strings, so values there end up inside the
 * SQL text; here that is impossible by construction. `String(query)` gives the SQL text when it
 * has no bind values, and throws otherwise (the values would be lost).
 */
import { LsError } from './errors.ts';
import type { SqlValue } from './sql-value.ts';

export type SqlTagValue = SqlValue | boolean | Date | SqlQuery | readonly (SqlValue | boolean | Date)[];

export interface SqlQuery {
  readonly sql: string;
  readonly bindValues: SqlValue[];
  toString(): string;
}

const TAG = Symbol.for('ls-elements/sql-query');

function bindable(value: unknown, index: number): SqlValue {
  if (value === null || typeof value === 'string' || typeof value === 'bigint' || value instanceof Uint8Array) return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new LsError('LS_INVALID_QUERY', `sql\`…\`: value #${index + 1} is ${value}; SQLite cannot bind it.`);
    return value;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new LsError('LS_INVALID_QUERY', `sql\`…\`: value #${index + 1} is an invalid Date.`);
    return value.toISOString();
  }
  const kind = value === undefined ? 'undefined' : Array.isArray(value) ? 'a nested array' : typeof value;
  throw new LsError('LS_INVALID_QUERY', `sql\`…\`: value #${index + 1} is ${kind}; pass a string, number, bigint, boolean, Date, Uint8Array or null.`);
}

export function isSqlQuery(value: unknown): value is SqlQuery {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[TAG] === true;
}

function makeSqlQuery(text: string, bindValues: SqlValue[]): SqlQuery {
  const query = {
    sql: text,
    bindValues,
    toString(): string {
      if (bindValues.length > 0) {
        throw new LsError('LS_INVALID_QUERY', 'This sql`…` query has bind values; pass the query object itself (not a string) so they are kept.');
      }
      return text;
    },
  };
  Object.defineProperty(query, TAG, { value: true });
  Object.freeze(bindValues);
  return Object.freeze(query);
}

export function sql(strings: TemplateStringsArray, ...values: readonly SqlTagValue[]): SqlQuery {
  let text = strings[0] ?? '';
  const binds: SqlValue[] = [];
  values.forEach((value, i) => {
    if (isSqlQuery(value)) {
      text += value.sql;
      binds.push(...value.bindValues);
    } else if (Array.isArray(value)) {
      text += `(${value.map(() => '?').join(', ')})`;
      value.forEach((item: unknown) => binds.push(bindable(item, i)));
    } else {
      text += '?';
      binds.push(bindable(value, i));
    }
    text += strings[i + 1] ?? '';
  });
  return makeSqlQuery(text, binds);
}
