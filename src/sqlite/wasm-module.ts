/**
 * The low-level surface of the wa-sqlite Emscripten module that ls-elements calls directly.
 *
 * We skip wa-sqlite's JS wrapper for everything on the hot path (it double-calls `exec` row
 * callbacks, leaks `serialize` copies and has no working changeset conflict callback) and call the
 * exported C functions ourselves. Pointers are numbers into `HEAPU8`; 64-bit integers cross as two
 * 32-bit halves, the high half read back with `getTempRet0()`.
 */

export type Ptr = number;

export interface WasmModule {
  readonly HEAPU8: Uint8Array;
  getValue(ptr: Ptr, type: 'i32' | '*'): number;
  setValue(ptr: Ptr, value: number, type: 'i32' | '*'): void;
  getTempRet0(): number;
  UTF8ToString(ptr: Ptr): string;
  ccall(name: string, returnType: null | 'number' | 'string', argTypes: string[], args: unknown[]): unknown;
  retryOps: Promise<unknown>[];
  _malloc(n: number): Ptr;
  _free(p: Ptr): void;
  _sqlite3_malloc(n: number): Ptr;
  _sqlite3_free(p: Ptr): void;
  _getSqliteFree(): Ptr;
  _sqlite3_open_v2(zFilename: Ptr, ppDb: Ptr, flags: number, zVfs: Ptr): number;
  _sqlite3_close_v2(db: Ptr): number;
  _sqlite3_errmsg(db: Ptr): Ptr;
  _sqlite3_errstr(rc: number): Ptr;
  _sqlite3_extended_errcode(db: Ptr): number;
  _sqlite3_prepare_v3(db: Ptr, zSql: Ptr, nByte: number, flags: number, ppStmt: Ptr, pzTail: Ptr): number;
  _sqlite3_bind_parameter_count(stmt: Ptr): number;
  _sqlite3_bind_parameter_index(stmt: Ptr, zName: Ptr): number;
  _sqlite3_bind_null(stmt: Ptr, i: number): number;
  _sqlite3_bind_int(stmt: Ptr, i: number, v: number): number;
  _sqlite3_bind_int64(stmt: Ptr, i: number, lo: number, hi: number): number;
  _sqlite3_bind_double(stmt: Ptr, i: number, v: number): number;
  _sqlite3_bind_text(stmt: Ptr, i: number, p: Ptr, n: number, destructor: Ptr): number;
  _sqlite3_bind_blob(stmt: Ptr, i: number, p: Ptr, n: number, destructor: Ptr): number;
  _sqlite3_bind_zeroblob(stmt: Ptr, i: number, n: number): number;
  _sqlite3_clear_bindings(stmt: Ptr): number;
  _sqlite3_step(stmt: Ptr): number;
  _sqlite3_reset(stmt: Ptr): number;
  _sqlite3_finalize(stmt: Ptr): number;
  _sqlite3_column_count(stmt: Ptr): number;
  _sqlite3_column_name(stmt: Ptr, i: number): Ptr;
  _sqlite3_column_type(stmt: Ptr, i: number): number;
  _sqlite3_column_int64(stmt: Ptr, i: number): number;
  _sqlite3_column_double(stmt: Ptr, i: number): number;
  _sqlite3_column_text(stmt: Ptr, i: number): Ptr;
  _sqlite3_column_blob(stmt: Ptr, i: number): Ptr;
  _sqlite3_column_bytes(stmt: Ptr, i: number): number;
  _sqlite3_stmt_readonly(stmt: Ptr): number;
  _sqlite3_changes(db: Ptr): number;
  _sqlite3_last_insert_rowid(db: Ptr): number;
  _sqlite3_get_autocommit(db: Ptr): number;
  _sqlite3_serialize(db: Ptr, zSchema: Ptr, piSize: Ptr, flags: number): Ptr;
  /** sqlite3_int64 sizes cross as (lo, hi) pairs. */
  _sqlite3_deserialize(db: Ptr, zSchema: Ptr, pData: Ptr, szDbLo: number, szDbHi: number, szBufLo: number, szBufHi: number, flags: number): number;
  _sqlite3_vfs_find(zName: Ptr): Ptr;
  vfs_register(vfs: object, makeDefault: boolean): number;
  _sqlite3session_create(db: Ptr, zDb: Ptr, ppSession: Ptr): number;
  _sqlite3session_attach(session: Ptr, zTab: Ptr): number;
  _sqlite3session_changeset(session: Ptr, pnChangeset: Ptr, ppChangeset: Ptr): number;
  _sqlite3session_delete(session: Ptr): void;
  _sqlite3changeset_invert(nIn: number, pIn: Ptr, pnOut: Ptr, ppOut: Ptr): number;
  _sqlite3changeset_apply(db: Ptr, n: number, p: Ptr, xFilter: Ptr, xConflict: Ptr, pCtx: Ptr): number;
}

/** SQLite result codes and flags we use (values from sqlite3.h). */
export const SQLITE_OK = 0;
export const SQLITE_BUSY = 5;
export const SQLITE_ROW = 100;
export const SQLITE_DONE = 101;
export const SQLITE_INTEGER = 1;
export const SQLITE_FLOAT = 2;
export const SQLITE_TEXT = 3;
export const SQLITE_BLOB = 4;
export const SQLITE_NULL = 5;
export const SQLITE_OPEN_READWRITE = 0x02;
export const SQLITE_OPEN_CREATE = 0x04;
export const SQLITE_OPEN_MEMORY = 0x80;
export const SQLITE_OPEN_URI = 0x40;
export const SQLITE_PREPARE_PERSISTENT = 0x01;
export const SQLITE_DESERIALIZE_FREEONCLOSE = 1;
export const SQLITE_DESERIALIZE_RESIZEABLE = 2;
