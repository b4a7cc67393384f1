/**
 * `store._dev`: LiveStore's debug helpers. downloadDb / downloadEventlogDb return the database
 * image and, in a page, also save it as a file; syncStates shows the heads and pending events.
 */
import type { StoreImpl } from './store-impl.ts';

export interface StoreDev {
  downloadDb(options?: { readonly source?: 'session' | 'leader'; readonly save?: boolean }): Promise<Uint8Array>;
  downloadEventlogDb(options?: { readonly save?: boolean }): Promise<Uint8Array>;
  /** Drops all local data of this store (leader databases) and shuts the store down. */
  hardReset(): Promise<void>;
  /** Statement counters of this session's database (what a commit or query cost). */
  sqliteStats(): { readonly statementsRun: number; readonly prepares: number };
  syncStates(): { readonly session: { readonly upstreamHead: number; readonly localHead: number; readonly pending: number } };
}

function save(bytes: Uint8Array, filename: string): void {
  const doc = (globalThis as { document?: Document }).document;
  if (doc === undefined) return;
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/vnd.sqlite3' }));
  const a = doc.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function createStoreDev(impl: StoreImpl): StoreDev {
  return {
    async downloadDb({ source = 'session', save: doSave = true } = {}) {
      const bytes = source === 'session' ? impl.db.serialize() : (await impl.leader.exportDatabases()).state;
      if (doSave) save(bytes, `${impl.storeId}-${source}.db`);
      return bytes;
    },
    async downloadEventlogDb({ save: doSave = true } = {}) {
      const bytes = (await impl.leader.exportDatabases()).eventlog;
      if (doSave) save(bytes, `${impl.storeId}-eventlog.db`);
      return bytes;
    },
    async hardReset() {
      await impl.shutdown();
      await impl.leader.reset?.();
    },
    sqliteStats() {
      return { ...impl.db.stats };
    },
    syncStates() {
      const s = impl.log.state;
      return { session: { upstreamHead: s.upstreamHead, localHead: s.localHead, pending: s.pending.length } };
    },
  };
}
