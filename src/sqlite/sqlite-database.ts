/**
 * `SqliteDatabase`: our thin synchronous wrapper over one wa-sqlite connection.
 *
 * - `exec(sql)` runs a script one statement at a time (each prepared only when the previous one has
 *   run, so `CREATE TABLE t …; INSERT INTO t …` works); `run`/`all`/`get` take exactly one
 *   statement with bind values and reuse a cached prepared statement.
 * - `transaction(fn)` and `savepoint(fn)` nest: the outermost is a transaction, inner ones are
 *   savepoints; a throw rolls back just that level. `fn` must be synchronous.
 * - `tablesUsed(sql)` asks SQLite which tables a statement reads and writes (`tables_used()`),
 *   mapping indexes back to their tables; results are cached per SQL text.
 * - `startSession()` records a changeset; `invertChangeset`/`applyChangeset` undo it.
 * - `serialize()`/`deserialize()` move the whole database as bytes.
 * - `stats` counts statement executions and prepares, so tests can check the cost of a commit.
 */
import type { BindValues, SqlRow } from '../core/sql-value.ts';
import type { SqliteApi } from './load-sqlite.ts';
import type { Ptr, WasmModule } from './wasm-module.ts';
import {
  SQLITE_BUSY, SQLITE_DESERIALIZE_FREEONCLOSE, SQLITE_DESERIALIZE_RESIZEABLE, SQLITE_OK, SQLITE_OPEN_CREATE,
  SQLITE_OPEN_READWRITE, SQLITE_PREPARE_PERSISTENT,
} from './wasm-module.ts';
import { allocWord, cString, copyIn, copyOut, int64FromHalves, withCString } from './wasm-memory.ts';
import { SqliteError } from './sqlite-error.ts';
import { Statement, type StatementHost } from './statement.ts';
import { StatementCache } from './statement-cache.ts';
import { applyChangeset, invertChangeset, startRecorder, type ChangeRecorder, type ConflictPolicy } from './changesets.ts';

export type { ChangeRecorder, ConflictPolicy };

export interface RunResult {
  readonly changes: number;
  readonly lastInsertRowid: number | bigint;
}

export interface TablesUsed {
  readonly read: ReadonlySet<string>;
  readonly written: ReadonlySet<string>;
}

export interface SqliteStats {
  /** Statements stepped (each run/all/get, each statement of an exec). */
  statementsRun: number;
  /** Statements prepared (cache misses and exec statements). */
  prepares: number;
}

export interface OpenOptions {
  /** Name of a registered VFS (e.g. OPFSCoopSyncVFS); default: SQLite's default. */
  readonly vfs?: string;
  readonly statementCacheSize?: number;
}

const DEFAULT_CACHE = 200;

export class SqliteDatabase implements StatementHost {
  readonly module: WasmModule;
  readonly filename: string;
  readonly stats: SqliteStats = { statementsRun: 0, prepares: 0 };
  #db: Ptr;
  #cache: StatementCache;
  #tablesUsed = new Map<string, TablesUsed>();
  #indexTable = new Map<string, string>();
  #savepointDepth = 0;

  private constructor(module: WasmModule, db: Ptr, filename: string, cacheSize: number) {
    this.module = module;
    this.#db = db;
    this.filename = filename;
    this.#cache = new StatementCache(cacheSize);
  }

  /** A private in-memory database (also the target of `deserialize`). */
  static openInMemory(api: SqliteApi, options: Omit<OpenOptions, 'vfs'> = {}): SqliteDatabase {
    const rc = openRaw(api.module, ':memory:', undefined);
    if (typeof rc === 'number') throw new SqliteError('could not open an in-memory database', rc);
    return new SqliteDatabase(api.module, rc.db, ':memory:', options.statementCacheSize ?? DEFAULT_CACHE);
  }

  /** Opens (creating if needed) a database file through a VFS; retries once when the VFS asks to. */
  static async open(api: SqliteApi, filename: string, options: OpenOptions = {}): Promise<SqliteDatabase> {
    const m = api.module;
    let r = openRaw(m, filename, options.vfs);
    if (typeof r === 'number' && r === SQLITE_BUSY && m.retryOps.length > 0) {
      // OPFSCoopSyncVFS acquires its access handle asynchronously and reports BUSY until it has it.
      await Promise.all(m.retryOps);
      m.retryOps = [];
      r = openRaw(m, filename, options.vfs);
    }
    if (typeof r === 'number') throw new SqliteError(`could not open database "${filename}"${options.vfs === undefined ? '' : ` with VFS ${options.vfs}`}`, r);
    return new SqliteDatabase(m, r.db, filename, options.statementCacheSize ?? DEFAULT_CACHE);
  }

  get isOpen(): boolean {
    return this.#db !== 0;
  }

  get dbPtr(): Ptr {
    return this.#live();
  }

  /** True while a transaction is open on this connection. */
  get inTransaction(): boolean {
    return this.module._sqlite3_get_autocommit(this.#live()) === 0;
  }

  error(rc: number, sql?: string): SqliteError {
    const m = this.module;
    const msg = this.#db === 0 ? m.UTF8ToString(m._sqlite3_errstr(rc)) : m.UTF8ToString(m._sqlite3_errmsg(this.#db));
    const code = this.#db === 0 ? rc : m._sqlite3_extended_errcode(this.#db);
    return new SqliteError(msg, (code & 0xff) === (rc & 0xff) ? code : rc, sql);
  }

  /** Runs every statement of `sql` in order; no bind values. */
  exec(sql: string): void {
    const m = this.module;
    const db = this.#live();
    const { ptr: head, bytes } = cString(m, sql);
    const out = allocWord(m, 2);
    try {
      let tail = head;
      const end = head + bytes;
      while (tail < end) {
        const rc = m._sqlite3_prepare_v3(db, tail, end - tail, 0, out, out + 4);
        if (rc !== SQLITE_OK) throw this.error(rc, sql);
        const stmtPtr = m.getValue(out, '*');
        tail = m.getValue(out + 4, '*');
        if (stmtPtr === 0) continue; // whitespace or a comment
        this.stats.prepares++;
        const stmt = new Statement(this, stmtPtr, sql);
        try {
          this.stats.statementsRun++;
          stmt.run(undefined);
        } finally {
          stmt.finalize();
        }
      }
    } finally {
      m._free(out);
      m._sqlite3_free(head);
    }
  }

  run(sql: string, bind?: BindValues): RunResult {
    const stmt = this.#prepared(sql);
    this.stats.statementsRun++;
    stmt.run(bind);
    const m = this.module;
    const changes = m._sqlite3_changes(this.#db);
    const lo = m._sqlite3_last_insert_rowid(this.#db);
    return { changes, lastInsertRowid: int64FromHalves(lo, m.getTempRet0()) };
  }

  all<R extends SqlRow = SqlRow>(sql: string, bind?: BindValues): R[] {
    const stmt = this.#prepared(sql);
    this.stats.statementsRun++;
    return stmt.all(bind) as R[];
  }

  get<R extends SqlRow = SqlRow>(sql: string, bind?: BindValues): R | undefined {
    const stmt = this.#prepared(sql);
    this.stats.statementsRun++;
    return stmt.get(bind) as R | undefined;
  }

  /** Runs `fn` atomically: a transaction, or a savepoint when one is already open. */
  transaction<T>(fn: () => T): T {
    if (this.inTransaction) return this.savepoint(fn);
    this.#control('BEGIN');
    let result: T;
    try {
      result = syncOnly(fn());
    } catch (err) {
      this.#rollbackQuietly();
      throw err;
    }
    try {
      this.#control('COMMIT');
    } catch (err) {
      // A failed COMMIT (disk full, I/O error) may leave the transaction open: end it.
      this.#rollbackQuietly();
      throw err;
    }
    return result;
  }

  /**
   * Ends an open transaction after an error, keeping that error: SQLite may already have rolled
   * it back by itself (after SQLITE_FULL, IOERR, NOMEM), and then ROLLBACK fails harmlessly.
   */
  #rollbackQuietly(): void {
    if (!this.inTransaction) return;
    try {
      this.#control('ROLLBACK');
    } catch {
      // already rolled back
    }
  }

  /** Runs `fn` in a (nestable) savepoint; a throw undoes exactly what `fn` did. */
  savepoint<T>(fn: () => T): T {
    const name = `ls_sp_${++this.#savepointDepth}`;
    this.#control(`SAVEPOINT ${name}`);
    let result: T;
    try {
      result = syncOnly(fn());
    } catch (err) {
      this.#savepointDepth--;
      // After a storage failure SQLite may have rolled back the whole transaction, savepoints and
      // all: then there is nothing to roll back to, and the original error is what matters.
      if (this.inTransaction) {
        try {
          this.#control(`ROLLBACK TO ${name}`);
          this.#control(`RELEASE ${name}`);
        } catch {
          this.#rollbackQuietly();
        }
      }
      throw err;
    }
    this.#savepointDepth--;
    try {
      this.#control(`RELEASE ${name}`); // the outermost RELEASE commits, and may fail like COMMIT
    } catch (err) {
      this.#rollbackQuietly();
      throw err;
    }
    return result;
  }

  /** Tables a statement reads and writes (app and system tables; indexes mapped to their table). */
  tablesUsed(sql: string): TablesUsed {
    const hit = this.#tablesUsed.get(sql);
    if (hit !== undefined) return hit;
    const read = new Set<string>();
    const written = new Set<string>();
    const rows = this.all<{ type: string; name: string; wr: number }>('SELECT type, name, wr FROM tables_used(?) WHERE schema = \'main\'', [sql]);
    for (const row of rows) {
      const table = row.type === 'index' ? this.#tableOfIndex(row.name) : row.name;
      if (table === undefined) continue;
      (row.wr ? written : read).add(table);
    }
    const result: TablesUsed = { read, written };
    if (this.#tablesUsed.size > 1000) this.#tablesUsed.clear();
    this.#tablesUsed.set(sql, result);
    return result;
  }

  /** Starts recording changes to `tables` (default: every table with a primary key). */
  startSession(tables?: readonly string[]): ChangeRecorder {
    return startRecorder(this.module, this.#live(), tables);
  }

  invertChangeset(changeset: Uint8Array): Uint8Array {
    return invertChangeset(this.module, changeset);
  }

  applyChangeset(changeset: Uint8Array, policy: ConflictPolicy = 'abort'): void {
    applyChangeset(this.module, this.#live(), changeset, policy);
  }

  /** A copy of the whole database as bytes (the SQLite file format). */
  serialize(): Uint8Array {
    const m = this.module;
    const db = this.#live();
    const pSize = allocWord(m, 2);
    try {
      const p = withCString(m, 'main', (z) => m._sqlite3_serialize(db, z, pSize, 0));
      const size = m.getValue(pSize, 'i32');
      if (p === 0) {
        if (size === 0) return new Uint8Array(0);
        throw new SqliteError('could not serialize the database (out of memory?)', 7);
      }
      const bytes = copyOut(m, p, size);
      m._sqlite3_free(p); // the copy SQLite made is ours to free (wa-sqlite's wrapper leaks it)
      return bytes;
    } finally {
      m._free(pSize);
    }
  }

  /** Replaces this (in-memory) database with `bytes`; it stays writable and may grow. */
  deserialize(bytes: Uint8Array): void {
    const m = this.module;
    const db = this.#live();
    if (this.inTransaction) throw new SqliteError('cannot deserialize inside a transaction', 21);
    this.#forgetStatements();
    if (bytes.byteLength === 0) return;
    const p = copyIn(m, bytes);
    const rc = withCString(m, 'main', (z) =>
      m._sqlite3_deserialize(db, z, p, bytes.byteLength, 0, bytes.byteLength, 0, SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE));
    // with FREEONCLOSE SQLite owns p even when it fails
    if (rc !== SQLITE_OK) throw this.error(rc, 'sqlite3_deserialize');
    const check = this.get<{ quick_check: string }>('PRAGMA quick_check');
    if (check?.quick_check !== 'ok') throw new SqliteError(`the database image is damaged: ${String(check?.quick_check)}`, 11);
  }

  close(): void {
    if (this.#db === 0) return;
    this.#forgetStatements();
    this.module._sqlite3_close_v2(this.#db);
    this.#db = 0;
  }

  #prepared(sql: string): Statement {
    const hit = this.#cache.get(sql);
    if (hit !== undefined) return hit;
    const stmt = this.#prepare(sql);
    this.#cache.set(sql, stmt);
    return stmt;
  }

  #prepare(sql: string): Statement {
    const m = this.module;
    const db = this.#live();
    const { ptr, bytes } = cString(m, sql);
    const out = allocWord(m, 2);
    try {
      const rc = m._sqlite3_prepare_v3(db, ptr, bytes + 1, SQLITE_PREPARE_PERSISTENT, out, out + 4);
      if (rc !== SQLITE_OK) throw this.error(rc, sql);
      const stmtPtr = m.getValue(out, '*');
      const tail = m.getValue(out + 4, '*');
      if (stmtPtr === 0) throw new SqliteError('no SQL statement given', 21, sql);
      const rest = copyOut(m, tail, Math.max(0, ptr + bytes - tail));
      if (/\S/.test(new TextDecoder().decode(rest).replace(/--[^\n]*|\/\*[\s\S]*?\*\/|;/g, ''))) {
        m._sqlite3_finalize(stmtPtr);
        throw new SqliteError('one statement expected, but the SQL holds several: use exec() for scripts', 21, sql);
      }
      this.stats.prepares++;
      return new Statement(this, stmtPtr, sql);
    } finally {
      m._free(out);
      m._sqlite3_free(ptr);
    }
  }

  #control(sql: string): void {
    this.#prepared(sql).run(undefined);
  }

  #tableOfIndex(index: string): string | undefined {
    const known = this.#indexTable.get(index);
    if (known !== undefined) return known;
    const row = this.get<{ tbl_name: string }>('SELECT tbl_name FROM sqlite_schema WHERE type = \'index\' AND name = ?', [index]);
    if (row !== undefined) this.#indexTable.set(index, row.tbl_name);
    return row?.tbl_name;
  }

  #forgetStatements(): void {
    this.#cache.clear();
    this.#tablesUsed.clear();
    this.#indexTable.clear();
  }

  #live(): Ptr {
    if (this.#db === 0) throw new SqliteError(`database "${this.filename}" is closed`, 21);
    return this.#db;
  }
}

function openRaw(m: WasmModule, filename: string, vfs: string | undefined): { db: Ptr } | number {
  const pp = allocWord(m);
  const zName = cString(m, filename).ptr;
  const zVfs = vfs === undefined ? 0 : cString(m, vfs).ptr;
  try {
    const rc = m._sqlite3_open_v2(zName, pp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, zVfs);
    const db = m.getValue(pp, '*');
    if (rc !== SQLITE_OK) {
      if (db !== 0) m._sqlite3_close_v2(db);
      return rc;
    }
    // math and string functions the wa-sqlite build bundles (sqrt, pow, …)
    m.ccall('RegisterExtensionFunctions', null, ['number'], [db]);
    return { db };
  } finally {
    m._free(pp);
    m._sqlite3_free(zName);
    if (zVfs !== 0) m._sqlite3_free(zVfs);
  }
}

function syncOnly<T>(value: T): T {
  if (value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function') {
    throw new SqliteError('transaction and savepoint callbacks must be synchronous (a promise was returned)', 21);
  }
  return value;
}
