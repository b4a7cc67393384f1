/**
 * What the devtools panels show, read from a store: the app's tables with a page of rows, the
 * eventlog, sync heads, live queries and reactive values. Pure reads through `store._dev` and
 * `store.query`; nothing here writes. The eventlog comes from the leader (an exported image), so
 * it is read only when its panel is open, and at most once per refresh.
 */
import { isLsError } from '../../src/index.ts';
import type { Store } from '../../src/index.ts';
import type { EventlogRow, LiveQueryInfo, ReactiveValueInfo, StoreDev } from '../../src/session/store-dev.ts';
import type { SqlRow } from '../../src/core/sql-value.ts';

export const PAGE_SIZE = 50;
/** Labels of the devtools' own queries, left out of the live-queries panel. */
export const OWN_LABEL = 'ls-devtools';

export interface TablePage {
  readonly table: string;
  readonly total: number;
  readonly offset: number;
  readonly columns: readonly string[];
  readonly rows: readonly SqlRow[];
}

export function appTables(store: Store): string[] {
  return [...store.schema.tables.keys()].sort();
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

export function readTablePage(store: Store, table: string, offset: number): TablePage {
  const total = Number(store._dev.runReadOnly(`SELECT count(*) AS n FROM ${quote(table)}`)[0]?.['n'] ?? 0);
  const rows = store._dev.runReadOnly(`SELECT * FROM ${quote(table)} LIMIT ? OFFSET ?`, [PAGE_SIZE, offset]);
  const columns = store._dev.runReadOnly(`SELECT name FROM pragma_table_info(?)`, [table]).map((r) => String(r['name']));
  return { table, total, offset, columns, rows };
}

export async function readEventlog(store: Store, nameFilter: string): Promise<EventlogRow[]> {
  const all = await store._dev.eventlog();
  const f = nameFilter.trim().toLowerCase();
  return f === '' ? all : all.filter((e) => e.name.toLowerCase().includes(f));
}

/** The store's sync status if it syncs (read by shape: `store.syncStatus`), else undefined. */
export interface SyncStatusView {
  readonly phase: string;
  readonly online: boolean;
  readonly pending: number;
  readonly upstreamHead: number;
  readonly lastError?: unknown;
}

export interface SyncView {
  readonly storage: Store['storage'];
  readonly sync: SyncStatusView | undefined;
  readonly session: ReturnType<StoreDev['syncStates']>['session'];
}

export function readSync(store: Store): SyncView {
  const sync = (store as unknown as { syncStatus?: SyncStatusView }).syncStatus;
  return { storage: store.storage, sync: typeof sync === 'object' && sync !== null ? sync : undefined, session: store._dev.syncStates().session };
}

export function readLiveQueries(store: Store): LiveQueryInfo[] {
  return store._dev.liveQueries().filter((q) => !q.label.startsWith(OWN_LABEL));
}

export function readReactiveValues(store: Store): ReactiveValueInfo[] {
  return store._dev.reactiveValues();
}

export type SqlOutcome = { readonly rows: readonly SqlRow[] } | { readonly error: string };

export function runSql(store: Store, sql: string): SqlOutcome {
  try {
    return { rows: store._dev.runReadOnly(sql) };
  } catch (err) {
    return { error: isLsError(err) ? `${err.code}: ${err.message}` : String(err) };
  }
}

/** A cell as text: JSON for objects, never markup. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return v === null ? 'NULL' : '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
