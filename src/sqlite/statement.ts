/**
 * One prepared statement: bind, step, read rows, reset.
 *
 * A `Statement` is created by `SqliteDatabase` (usually through its cache) for exactly one SQL
 * statement. Every use clears the old bindings first, checks that the caller gave as many values as
 * the statement has parameters, and resets the statement at the end even when a step fails, so a
 * cached statement never keeps a read transaction open or leaks old values into the next call.
 */
import type { BindValues, SqlRow, SqlValue } from '../core/sql-value.ts';
import type { Ptr, WasmModule } from './wasm-module.ts';
import { SQLITE_BLOB, SQLITE_DONE, SQLITE_FLOAT, SQLITE_INTEGER, SQLITE_NULL, SQLITE_OK, SQLITE_ROW, SQLITE_TEXT } from './wasm-module.ts';
import { copyIn, copyInUtf8, copyOut, int64FromHalves, readUtf8, withCString } from './wasm-memory.ts';
import { SqliteError } from './sqlite-error.ts';

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

export interface StatementHost {
  readonly module: WasmModule;
  readonly dbPtr: Ptr;
  /** Builds the error for a failed call from the connection's current error message. */
  error(rc: number, sql: string): SqliteError;
}

export class Statement {
  readonly sql: string;
  readonly readonly: boolean;
  #host: StatementHost;
  #ptr: Ptr;
  #params: number;
  #columns: readonly string[] | undefined;

  constructor(host: StatementHost, ptr: Ptr, sql: string) {
    this.#host = host;
    this.#ptr = ptr;
    this.sql = sql;
    this.#params = host.module._sqlite3_bind_parameter_count(ptr);
    this.readonly = host.module._sqlite3_stmt_readonly(ptr) !== 0;
  }

  get parameterCount(): number {
    return this.#params;
  }

  /** Runs to completion, collecting rows (none for statements that return none). */
  all(bind: BindValues | undefined): SqlRow[] {
    const rows: SqlRow[] = [];
    this.#run(bind, (row) => {
      rows.push(row);
      return true;
    });
    return rows;
  }

  /** The first row, or undefined; stops stepping after it. */
  get(bind: BindValues | undefined): SqlRow | undefined {
    let first: SqlRow | undefined;
    this.#run(bind, (row) => {
      first = row;
      return false;
    });
    return first;
  }

  /** Steps to the end without building row objects. */
  run(bind: BindValues | undefined): void {
    this.#run(bind, undefined);
  }

  finalize(): void {
    if (this.#ptr === 0) return;
    this.#host.module._sqlite3_finalize(this.#ptr);
    this.#ptr = 0;
  }

  #run(bind: BindValues | undefined, onRow: ((row: SqlRow) => boolean) | undefined): void {
    const m = this.#host.module;
    const stmt = this.#ptr;
    if (stmt === 0) throw new SqliteError('statement used after it was finalized', 21, this.sql);
    try {
      m._sqlite3_clear_bindings(stmt);
      this.#bindAll(bind);
      for (;;) {
        const rc = m._sqlite3_step(stmt);
        if (rc === SQLITE_DONE) return;
        if (rc !== SQLITE_ROW) throw this.#host.error(rc, this.sql);
        if (onRow !== undefined && !onRow(this.#readRow())) return;
      }
    } finally {
      m._sqlite3_reset(stmt);
    }
  }

  #bindAll(bind: BindValues | undefined): void {
    const n = this.#params;
    if (bind === undefined || (Array.isArray(bind) && bind.length === 0)) {
      if (n > 0) throw new SqliteError(`the statement has ${n} parameter(s) but no bind values were given`, 25, this.sql);
      return;
    }
    if (Array.isArray(bind)) {
      const values = bind as readonly SqlValue[];
      if (values.length !== n) throw new SqliteError(`the statement has ${n} parameter(s) but ${values.length} bind value(s) were given`, 25, this.sql);
      for (let i = 0; i < n; i++) this.#bindOne(i + 1, values[i], String(i));
      return;
    }
    const m = this.#host.module;
    const named = bind as Readonly<Record<string, SqlValue>>;
    for (const key of Object.keys(named)) {
      const candidates = /^[$:@]/.test(key) ? [key] : [`$${key}`, `:${key}`, `@${key}`];
      let index = 0;
      for (const c of candidates) {
        index = withCString(m, c, (p) => m._sqlite3_bind_parameter_index(this.#ptr, p));
        if (index > 0) break;
      }
      if (index === 0) throw new SqliteError(`bind value "${key}" matches no parameter of the statement`, 25, this.sql);
      this.#bindOne(index, named[key], key);
    }
  }

  #bindOne(index: number, value: SqlValue | undefined, label: string): void {
    const m = this.#host.module;
    const stmt = this.#ptr;
    let rc: number;
    if (value === null) rc = m._sqlite3_bind_null(stmt, index);
    else if (typeof value === 'number') {
      if (Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX) rc = m._sqlite3_bind_int(stmt, index, value);
      else if (Number.isSafeInteger(value)) rc = bindBigInt(m, stmt, index, BigInt(value));
      else rc = m._sqlite3_bind_double(stmt, index, value);
    } else if (typeof value === 'string') {
      const { ptr, bytes } = copyInUtf8(m, value);
      rc = m._sqlite3_bind_text(stmt, index, ptr, bytes, m._getSqliteFree());
    } else if (typeof value === 'bigint') {
      if (value > 0x7fffffffffffffffn || value < -0x8000000000000000n) throw new SqliteError(`bind value ${label} (${value}) does not fit in a 64-bit integer`, 25, this.sql);
      rc = bindBigInt(m, stmt, index, value);
    } else if (value instanceof Uint8Array) {
      rc = value.byteLength === 0
        ? m._sqlite3_bind_zeroblob(stmt, index, 0)
        : m._sqlite3_bind_blob(stmt, index, copyIn(m, value), value.byteLength, m._getSqliteFree());
    } else if (typeof value === 'boolean') {
      rc = m._sqlite3_bind_int(stmt, index, value ? 1 : 0);
    } else {
      const what = value === undefined ? 'undefined' : typeof value === 'object' ? 'an object (encode it, e.g. JSON.stringify)' : typeof value;
      throw new SqliteError(`bind value ${label} is ${what}; SQLite takes string, number, bigint, Uint8Array or null`, 20, this.sql);
    }
    if (rc !== SQLITE_OK) throw this.#host.error(rc, this.sql);
  }

  #readRow(): SqlRow {
    const m = this.#host.module;
    const stmt = this.#ptr;
    const names = (this.#columns ??= readColumnNames(m, stmt));
    const row: Record<string, SqlValue> = {};
    for (let i = 0; i < names.length; i++) row[names[i]!] = readColumn(m, stmt, i);
    return row;
  }
}

function bindBigInt(m: WasmModule, stmt: Ptr, index: number, v: bigint): number {
  const lo = Number(BigInt.asIntN(32, v));
  const hi = Number(BigInt.asIntN(32, v >> 32n));
  return m._sqlite3_bind_int64(stmt, index, lo, hi);
}

function readColumnNames(m: WasmModule, stmt: Ptr): string[] {
  const n = m._sqlite3_column_count(stmt);
  const names: string[] = [];
  for (let i = 0; i < n; i++) names.push(m.UTF8ToString(m._sqlite3_column_name(stmt, i)));
  return names;
}

function readColumn(m: WasmModule, stmt: Ptr, i: number): SqlValue {
  switch (m._sqlite3_column_type(stmt, i)) {
    case SQLITE_NULL:
      return null;
    case SQLITE_INTEGER: {
      const lo = m._sqlite3_column_int64(stmt, i);
      return int64FromHalves(lo, m.getTempRet0());
    }
    case SQLITE_FLOAT:
      return m._sqlite3_column_double(stmt, i);
    case SQLITE_TEXT: {
      // text first, then bytes: the documented order that avoids a second conversion
      const p = m._sqlite3_column_text(stmt, i);
      return readUtf8(m, p, m._sqlite3_column_bytes(stmt, i));
    }
    case SQLITE_BLOB: {
      const p = m._sqlite3_column_blob(stmt, i);
      const n = m._sqlite3_column_bytes(stmt, i);
      return n === 0 ? new Uint8Array(0) : copyOut(m, p, n);
    }
    default:
      return null;
  }
}
