/**
 * Pieces of SQL text that cannot be bind parameters: quoted identifiers and, for DDL only,
 * DEFAULT literals. Identifiers are always double-quoted with inner quotes doubled, so any name
 * is safe; literals are rendered from already-encoded SqlValues, never from raw app input.
 */
import { LsError } from './errors.ts';
import type { SqlValue } from './sql-value.ts';

export function quoteIdent(name: string): string {
  if (name.includes('\u0000')) throw new LsError('LS_INVALID_SCHEMA', `The name ${JSON.stringify(name)} contains a NUL character; rename it.`);
  return `"${name.replaceAll('"', '""')}"`;
}

/** A SqlValue as an SQL literal (for CREATE TABLE … DEFAULT). */
export function sqlLiteral(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new LsError('LS_INVALID_SCHEMA', `A column default must be a finite number, got ${value}.`);
    return String(value);
  }
  let hex = '';
  for (const byte of value) hex += byte.toString(16).padStart(2, '0');
  return `X'${hex}'`;
}
