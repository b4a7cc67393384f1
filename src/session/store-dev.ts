/**
 * `store._dev`: LiveStore's debug helpers. downloadDb / downloadEventlogDb return the database
 * image and, in a page, also save it as a file; syncStates shows the heads and pending events.
 */
import { LsError } from '../core/errors.ts';
import { decodeEventArgs } from '../core/event-args.ts';
import type { SqlRow } from '../core/sql-value.ts';
import { loadSqlite } from '../sqlite/load-sqlite.ts';
import { SqliteDatabase } from '../sqlite/sqlite-database.ts';
import type { StoreImpl } from './store-impl.ts';
import type { RebaseCounts } from './session-log.ts';

/** A live query of this tab, as devtools show it. */
export interface LiveQueryInfo {
  readonly label: string;
  readonly sql: string | undefined;
  readonly tables: readonly string[];
  readonly resultSize: number | undefined;
  readonly runs: number;
  readonly lastRunMs: number | undefined;
  readonly subscribers: number;
}

export interface ReactiveValueInfo {
  readonly kind: 'signal' | 'computed';
  readonly label: string;
  /** The last value it held (undefined before its first run). */
  readonly value: unknown;
}

/** An event of the leader's eventlog, as devtools show it. */
export interface EventlogRow {
  readonly seqNum: number;
  readonly name: string;
  readonly args: unknown;
  readonly id: string;
  readonly clientId: string;
  readonly sessionId: string;
  readonly createdAt: number;
  /** 'client only' (never synced), or its number in the sync server's order if it has one. */
  readonly clientOnly: boolean;
  readonly syncSeq: number | null;
  /** Confirmed by the sync server, pending (not yet), or local (clientOnly, or no sync). */
  readonly status: 'confirmed' | 'pending' | 'local';
}

export interface StoreDev {
  downloadDb(options?: { readonly source?: 'session' | 'leader'; readonly save?: boolean }): Promise<Uint8Array>;
  downloadEventlogDb(options?: { readonly save?: boolean }): Promise<Uint8Array>;
  /** Drops all local data of this store (leader databases) and shuts the store down. */
  hardReset(): Promise<void>;
  /** Statement counters of this session's database (what a commit or query cost). */
  sqliteStats(): { readonly statementsRun: number; readonly prepares: number };
  syncStates(): { readonly session: { readonly upstreamHead: number; readonly localHead: number; readonly pending: number; readonly rebases: RebaseCounts } };
  /** The live queries of this tab: label, SQL, tables read, result size, runs, last run time. */
  liveQueries(): LiveQueryInfo[];
  /** Signals and computed values with their current value. */
  reactiveValues(): ReactiveValueInfo[];
  /** Runs one read-only statement on this tab's database (a write fails with LS_SQLITE_ERROR). */
  runReadOnly(sql: string, params?: readonly unknown[]): SqlRow[];
  /** The leader's eventlog, oldest first (read from an exported image: a devtools call, not for apps). */
  eventlog(): Promise<EventlogRow[]>;
  /**
   * Commits the events of an exported eventlog (downloadEventlogDb) into this store, which must
   * have none yet: same ids, same order. Events this schema does not know are skipped and counted.
   */
  importEventlog(bytes: Uint8Array): Promise<{ readonly imported: number; readonly skipped: number }>;
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
    liveQueries() {
      return [...impl.nodes.queries].map(([node, q]) => ({
        label: node.label, sql: q.sql, tables: [...q.tables].sort(), resultSize: q.resultSize, runs: q.runs, lastRunMs: q.lastRunMs,
        subscribers: (node as unknown as { subs?: { size: number } }).subs?.size ?? 0,
      }));
    },
    reactiveValues() {
      return [...impl.nodes.values].map(([node, v]) => ({ kind: v.kind, label: v.label, value: (node as unknown as { value?: unknown }).value }));
    },
    runReadOnly(sql, params = []) {
      if (typeof sql !== 'string' || sql.trim() === '') throw new LsError('LS_INVALID_ARGUMENT', 'runReadOnly(sql) needs an SQL string.');
      const db = impl.db;
      db.exec('PRAGMA query_only = 1');
      try {
        return db.all(sql, params as never);
      } finally {
        db.exec('PRAGMA query_only = 0');
      }
    },
    async eventlog() {
      const bytes = (await impl.leader.exportDatabases()).eventlog;
      const db = SqliteDatabase.openInMemory(await loadSqlite());
      try {
        db.deserialize(bytes);
        const stored = db.get(`SELECT value FROM __ls_sync WHERE key = 'upstream_head'`)?.['value'];
        // A store that syncs but never reached the server has confirmed nothing yet.
        const upstream = stored !== undefined ? Number(stored) : impl.syncStatus.value.phase === 'disabled' ? -1 : 0;
        return db.all('SELECT * FROM __ls_eventlog ORDER BY seq').map((r) => ({
          seqNum: Number(r['seq']), name: String(r['name']), args: JSON.parse(String(r['args'])) as unknown, id: String(r['id']),
          clientId: String(r['client_id']), sessionId: String(r['session_id']), createdAt: Number(r['created_at']),
          clientOnly: r['client_only'] === 1, syncSeq: r['sync_seq'] === null || r['sync_seq'] === undefined ? null : Number(r['sync_seq']),
          status: eventStatus(r, upstream),
        }));
      } finally {
        db.close();
      }
    },
    async importEventlog(bytes) {
      if (!(bytes instanceof Uint8Array)) throw new LsError('LS_INVALID_ARGUMENT', 'importEventlog(bytes) needs the Uint8Array of an exported eventlog database.');
      if (impl.log.state.localHead !== 0) throw new LsError('LS_INVALID_ARGUMENT', `importEventlog needs a store without events; '${impl.storeId}' has ${impl.log.state.localHead}. Import into a new storeId.`);
      const db = SqliteDatabase.openInMemory(await loadSqlite());
      let rows: SqlRow[];
      try {
        db.deserialize(bytes);
        rows = db.all('SELECT id, name, args FROM __ls_eventlog ORDER BY seq');
      } catch (err) {
        throw new LsError('LS_INVALID_ARGUMENT', 'importEventlog: these bytes are not an exported ls-elements eventlog (no readable __ls_eventlog table).', { cause: err });
      } finally {
        db.close();
      }
      let imported = 0;
      let skipped = 0;
      const CHUNK = 500;
      for (let i = 0; i < rows.length; i += CHUNK) {
        const inputs = [];
        for (const r of rows.slice(i, i + CHUNK)) {
          const def = impl.schema.events.get(String(r['name']));
          if (def === undefined) {
            skipped++;
            continue;
          }
          inputs.push({ id: String(r['id']), name: def.name, args: decodeEventArgs(def, JSON.parse(String(r['args']))) });
        }
        if (inputs.length > 0) impl.commit(inputs);
        imported += inputs.length;
      }
      await impl.flush();
      return { imported, skipped };
    },
    syncStates() {
      const s = impl.log.state;
      return { session: { upstreamHead: s.upstreamHead, localHead: s.localHead, pending: s.pending.length, rebases: { ...impl.log.rebases } } };
    },
  };
}

/** `upstream` is -1 when the store never synced: every event is then local. */
function eventStatus(r: SqlRow, upstream: number): EventlogRow['status'] {
  if (r['client_only'] === 1 || upstream < 0 || r['sync_seq'] === null || r['sync_seq'] === undefined) return 'local';
  return Number(r['sync_seq']) <= upstream ? 'confirmed' : 'pending';
}
