/**
 * The leader's two databases (see leader-core.ts): `eventlog.db` and `state.db` in one OPFS
 * directory per store, or two in-memory databases when OPFS is unavailable (said in the note,
 * never silently).
 *
 * A state file whose header is not SQLite's (truncated, overwritten) is deleted before it is
 * opened: LeaderCore then rebuilds the state from the eventlog. The eventlog is never deleted
 * except by `remove()` (hardReset, resetPersistence).
 */
import type { SqliteApi } from '../sqlite/load-sqlite.ts';
import { hasOpfsSyncAccess, openOpfsDatabase, removeOpfsEntry } from '../sqlite/opfs-vfs.ts';
import { SqliteDatabase } from '../sqlite/sqlite-database.ts';

export interface LeaderStorage {
  readonly kind: 'opfs' | 'memory';
  readonly note?: string;
  readonly stateDb: SqliteDatabase;
  readonly eventlogDb: SqliteDatabase;
  close(): void;
  /** Closes and deletes the persisted files. */
  remove(): Promise<void>;
}

export interface OpenLeaderStorageOptions {
  readonly api: SqliteApi;
  readonly want: 'opfs' | 'memory';
  /** Why memory was asked for, when it was. */
  readonly note?: string;
  /** OPFS directory of this store, e.g. `ls-elements-todos`. */
  readonly directory: string;
  readonly resetPersistence?: boolean;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string, data?: unknown) => void;
}

export async function openLeaderStorage(o: OpenLeaderStorageOptions): Promise<LeaderStorage> {
  if (o.want === 'memory' || !hasOpfsSyncAccess()) {
    const note = o.want === 'memory' ? o.note : 'OPFS is unavailable in this browser (private browsing?): data lives in memory and is lost when the leader tab closes.';
    return memoryStorage(o.api, note);
  }
  const dir = `/${o.directory}`;
  if (o.resetPersistence === true) {
    o.log?.('info', `resetPersistence: deleting ${dir}`);
    await removeOpfsEntry(dir);
  }
  if (await hasForeignHeader(o.directory, 'state.db')) {
    o.log?.('warn', 'state.db is not a SQLite file; deleting it, the state is rebuilt from the eventlog');
    // with its WAL: a stale -wal would otherwise be replayed onto the new, empty file
    for (const suffix of ['', '-wal', '-journal']) await removeOpfsEntry(`${dir}/state.db${suffix}`);
  }
  const eventlogDb = await openOpfsDatabase(o.api, `${dir}/eventlog.db`);
  let stateDb: SqliteDatabase;
  try {
    stateDb = await openOpfsDatabase(o.api, `${dir}/state.db`);
  } catch (err) {
    eventlogDb.close();
    throw err;
  }
  const close = (): void => {
    stateDb.close();
    eventlogDb.close();
  };
  return {
    kind: 'opfs',
    stateDb,
    eventlogDb,
    close,
    async remove() {
      close();
      await removeOpfsEntry(dir);
    },
  };
}

function memoryStorage(api: SqliteApi, note: string | undefined): LeaderStorage {
  const stateDb = SqliteDatabase.openInMemory(api);
  const eventlogDb = SqliteDatabase.openInMemory(api);
  const close = (): void => {
    stateDb.close();
    eventlogDb.close();
  };
  return { kind: 'memory', ...(note === undefined ? {} : { note }), stateDb, eventlogDb, close, remove: async () => close() };
}

const MAGIC = 'SQLite format 3\u0000';

/** True when `directory/name` exists, is not empty and does not start with SQLite's header. */
async function hasForeignHeader(directory: string, name: string): Promise<boolean> {
  try {
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle(directory);
    const file = await (await dir.getFileHandle(name)).getFile();
    if (file.size === 0) return false;
    const head = new TextDecoder('latin1').decode(await file.slice(0, 16).arrayBuffer());
    return head !== MAGIC;
  } catch {
    return false; // missing (first start) or unreadable now: SQLite will tell
  }
}
