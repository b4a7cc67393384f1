/**
 * `SqliteError`: an LsError (`LS_SQLITE_ERROR`) carrying SQLite's own code and message plus the SQL
 * that failed, so a caller can tell a constraint violation from a syntax error by `sqliteCode`.
 */
import { LsError } from '../core/errors.ts';

/** Primary result codes by number, for readable messages (sqlite3.h). */
const NAMES: Readonly<Record<number, string>> = {
  1: 'SQLITE_ERROR', 2: 'SQLITE_INTERNAL', 3: 'SQLITE_PERM', 4: 'SQLITE_ABORT', 5: 'SQLITE_BUSY',
  6: 'SQLITE_LOCKED', 7: 'SQLITE_NOMEM', 8: 'SQLITE_READONLY', 9: 'SQLITE_INTERRUPT', 10: 'SQLITE_IOERR',
  11: 'SQLITE_CORRUPT', 12: 'SQLITE_NOTFOUND', 13: 'SQLITE_FULL', 14: 'SQLITE_CANTOPEN', 15: 'SQLITE_PROTOCOL',
  17: 'SQLITE_SCHEMA', 18: 'SQLITE_TOOBIG', 19: 'SQLITE_CONSTRAINT', 20: 'SQLITE_MISMATCH', 21: 'SQLITE_MISUSE',
  23: 'SQLITE_AUTH', 25: 'SQLITE_RANGE', 26: 'SQLITE_NOTADB',
};

export function sqliteCodeName(code: number): string {
  return NAMES[code & 0xff] ?? `SQLITE_${code}`;
}

export class SqliteError extends LsError {
  override readonly name = 'SqliteError';
  /** SQLite's extended result code (e.g. 2067 = SQLITE_CONSTRAINT_UNIQUE); `& 0xff` gives the primary one. */
  readonly sqliteCode: number;
  readonly sql: string | undefined;

  constructor(message: string, sqliteCode: number, sql?: string, cause?: unknown) {
    const details: Record<string, unknown> = { sqliteCode, sqliteCodeName: sqliteCodeName(sqliteCode) };
    if (sql !== undefined) details.sql = sql;
    super('LS_SQLITE_ERROR', sql === undefined ? message : `${message} (in: ${abbreviate(sql)})`, cause === undefined ? { details } : { details, cause });
    this.sqliteCode = sqliteCode;
    this.sql = sql;
  }
}

function abbreviate(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
}

/**
 * SQLite's codes for "the storage failed", as opposed to "this statement is wrong": I/O error,
 * disk full (OPFS quota), out of memory, corrupt or unreadable file, read-only. After one of these
 * SQLite may have rolled back the whole transaction, so a caller must not go on inside it.
 */
const STORAGE_FAILURES = new Set([7, 8, 10, 11, 13, 14, 26]);
export const SQLITE_FULL = 13;

export function isStorageFailure(err: unknown): err is SqliteError {
  return err instanceof SqliteError && STORAGE_FAILURES.has(err.sqliteCode & 0xff);
}
