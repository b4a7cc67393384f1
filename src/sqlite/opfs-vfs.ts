/**
 * SQLite files in OPFS through wa-sqlite's OPFSCoopSyncVFS (synchronous access handles, so only in
 * a dedicated worker). One VFS instance per wasm module.
 *
 * The VFS gets its access handles asynchronously and answers SQLITE_BUSY until it has them: after
 * open, the first statement that locks the file is BUSY once; `retryBusy` awaits the VFS's
 * `retryOps` and runs it again. `locking_mode=EXCLUSIVE` then keeps the lock (and the handles)
 * until close, and lets WAL work without shared memory: measured 30× faster than the defaults.
 * A second leader that opens the same file waits in the VFS's Web Lock until the first one is
 * gone; Chromium may still report the handles as taken for a moment after that
 * (NoModificationAllowedError), which `isOpfsBusy` recognises so the caller can retry.
 */
import { OPFSCoopSyncVFS } from '@livestore/wa-sqlite/src/examples/OPFSCoopSyncVFS.js';
import { LsError } from '../core/errors.ts';
import type { SqliteApi } from './load-sqlite.ts';
import { SqliteDatabase } from './sqlite-database.ts';
import { SqliteError } from './sqlite-error.ts';
import { SQLITE_BUSY } from './wasm-module.ts';

export const OPFS_VFS_NAME = 'ls-opfs';
const registered = new WeakMap<object, Promise<string>>();

/** True where OPFS synchronous access handles exist (a dedicated worker of a secure context). */
export function hasOpfsSyncAccess(): boolean {
  const g = globalThis as { navigator?: { storage?: { getDirectory?: unknown } }; FileSystemFileHandle?: { prototype: object } };
  return typeof g.navigator?.storage?.getDirectory === 'function' && g.FileSystemFileHandle !== undefined && 'createSyncAccessHandle' in g.FileSystemFileHandle.prototype;
}

/** Registers the OPFS VFS on this module once; resolves with its name. */
export function registerOpfsVfs(api: SqliteApi): Promise<string> {
  let p = registered.get(api.module);
  if (p === undefined) {
    const m = api.module as { retryOps?: Promise<unknown>[] };
    m.retryOps ??= []; // our loader skips wa-sqlite's JS API, which is what normally sets it
    p = OPFSCoopSyncVFS.create(OPFS_VFS_NAME, api.module).then((vfs) => {
      reportQuotaAsFull(vfs);
      api.module.vfs_register(vfs, false);
      return vfs.name;
    });
    p.catch(() => registered.delete(api.module));
    registered.set(api.module, p);
  }
  return p;
}

const SQLITE_FULL = 13;
const SQLITE_OK = 0;

/**
 * The VFS answers every failed write with SQLITE_IOERR_*; when the browser refused it for the
 * site's storage quota (QuotaExceededError), say SQLITE_FULL instead, so SQLite and the app see
 * "storage full" (LS_STORAGE_FULL), not an unexplained I/O error. The VFS calls these methods
 * through `this`, so wrapping them on the instance is enough.
 */
function reportQuotaAsFull(vfs: object): void {
  const v = vfs as Record<string, unknown> & { lastError?: unknown };
  for (const method of ['jWrite', 'jTruncate', 'jSync']) {
    const original = v[method];
    if (typeof original !== 'function') throw new LsError('LS_INTERNAL', `OPFSCoopSyncVFS has no ${method}: update opfs-vfs.ts for this wa-sqlite version.`);
    v[method] = (...args: unknown[]): number => {
      const rc = (original as (...a: unknown[]) => number).apply(vfs, args);
      return rc !== SQLITE_OK && isQuotaError(v.lastError) ? SQLITE_FULL : rc;
    };
  }
}

function isQuotaError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'QuotaExceededError';
}

/** Runs fn, and again after the VFS's pending async work, while it fails with SQLITE_BUSY. */
export async function retryBusy<T>(api: SqliteApi, fn: () => T, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return fn();
    } catch (err) {
      const busy = err instanceof SqliteError && (err.sqliteCode & 0xff) === SQLITE_BUSY;
      const ops = api.module.retryOps;
      if (!busy || i >= attempts) throw err;
      if (ops.length > 0) {
        api.module.retryOps = [];
        await Promise.all(ops);
      } else {
        await new Promise((r) => setTimeout(r, 10 * i));
      }
    }
  }
}

/** Opens (creating) an OPFS database at `path` (e.g. `/dir/state.db`), exclusive, in WAL mode. */
export async function openOpfsDatabase(api: SqliteApi, path: string): Promise<SqliteDatabase> {
  const vfs = await registerOpfsVfs(api);
  const db = await SqliteDatabase.open(api, path, { vfs });
  try {
    await retryBusy(api, () => db.exec('PRAGMA locking_mode=EXCLUSIVE'));
    await retryBusy(api, () => db.exec('PRAGMA journal_mode=WAL'));
    // The first read takes the lock; in exclusive mode it is then held until close.
    await retryBusy(api, () => db.get('SELECT count(*) AS n FROM sqlite_master'));
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Chromium's errors for "another context still holds this file's access handle". */
export function isOpfsBusy(err: unknown): boolean {
  const names = ['NoModificationAllowedError', 'InvalidStateError'];
  for (let e: unknown = err; e !== undefined && e !== null; e = (e as { cause?: unknown }).cause) {
    if (typeof e === 'object' && names.includes(String((e as { name?: unknown }).name))) return true;
    if (e instanceof SqliteError && (e.sqliteCode & 0xff) === SQLITE_BUSY) return true;
  }
  return false;
}

/** Removes an OPFS directory (or file) and everything in it; missing is fine. */
export async function removeOpfsEntry(path: string): Promise<void> {
  const parts = path.split('/').filter((p) => p !== '');
  const name = parts.pop();
  if (name === undefined) throw new LsError('LS_INVALID_ARGUMENT', 'removeOpfsEntry needs a path below the OPFS root');
  let dir = await navigator.storage.getDirectory();
  try {
    for (const p of parts) dir = await dir.getDirectoryHandle(p);
    await dir.removeEntry(name, { recursive: true });
  } catch (err) {
    if ((err as { name?: unknown }).name === 'NotFoundError') return;
    throw err;
  }
}
