/**
 * Turns store-independent definitions (signal, computed, queryDb) into nodes of this store's
 * reactive graph, once per definition. A query node runs its SQL on the session's in-memory db
 * and declares the tables SQLite says it reads (tables_used()), so a commit re-runs only the
 * queries whose tables it wrote.
 */
import { LsError } from '../core/errors.ts';
import { isQueryDef, type QueryDef } from '../core/query-def.ts';
import type { ReactiveGraph } from '../core/reactive/reactive-graph.ts';
import type { ReactiveNode } from '../core/reactive/reactive-node.ts';
import type { ComputedDef, LiveDef, SignalDef } from '../core/reactive/definitions.ts';
import { isSystemTable } from '../leader/system-tables.ts';
import type { SqliteDatabase } from '../sqlite/sqlite-database.ts';

export interface QueryNodeInfo {
  readonly def: QueryDef<unknown>;
  sql: string | undefined;
  tables: ReadonlySet<string>;
  resultSize: number | undefined;
  /** How often it ran, and how long the last run took (ms). */
  runs: number;
  lastRunMs: number | undefined;
}

/** Signals and computed values this store made nodes for (devtools). */
export interface ValueNodeInfo {
  readonly kind: 'signal' | 'computed';
  readonly label: string;
}

const EMPTY: ReadonlySet<string> = new Set();

export class LiveNodes {
  readonly #graph: ReactiveGraph;
  readonly #db: () => SqliteDatabase;
  readonly #sessionId: string;
  readonly #nodes = new Map<LiveDef<unknown>, ReactiveNode<unknown>>();
  readonly #byDeps = new Map<string, ReactiveNode<unknown>>();
  /** Query nodes with what they last ran (devtools). */
  readonly queries = new Map<ReactiveNode<unknown>, QueryNodeInfo>();
  readonly values = new Map<ReactiveNode<unknown>, ValueNodeInfo>();

  constructor(graph: ReactiveGraph, db: () => SqliteDatabase, sessionId: string) {
    this.#graph = graph;
    this.#db = db;
    this.#sessionId = sessionId;
  }

  nodeFor<T>(def: LiveDef<T>): ReactiveNode<T> {
    const existing = this.#nodes.get(def as LiveDef<unknown>);
    if (existing !== undefined) return existing as ReactiveNode<T>;
    // Definitions made anew on every render (e.g. inside a component) share one node when they
    // say they are the same query: same label and same `deps`, as LiveStore documents.
    const key = depsKey(def as LiveDef<unknown>);
    const twin = key === undefined ? undefined : this.#byDeps.get(key);
    if (twin !== undefined) {
      this.#nodes.set(def as LiveDef<unknown>, twin);
      return twin as ReactiveNode<T>;
    }
    const node = this.#make(def as LiveDef<unknown>);
    this.#nodes.set(def as LiveDef<unknown>, node);
    if (key !== undefined) this.#byDeps.set(key, node);
    return node as ReactiveNode<T>;
  }

  has(def: LiveDef<unknown>): boolean {
    return this.#nodes.has(def);
  }

  /** Forgets a definition's node (anonymous subscriptions), when nothing else uses it. */
  release(def: LiveDef<unknown>): void {
    const node = this.#nodes.get(def);
    if (node === undefined) return;
    try {
      this.#graph.dispose(node);
      for (const [d, n] of this.#nodes) if (n === node) this.#nodes.delete(d);
      for (const [k, n] of this.#byDeps) if (n === node) this.#byDeps.delete(k);
      this.queries.delete(node);
      this.values.delete(node);
    } catch {
      // Still read by another node: it stays until that one goes.
    }
  }

  #make(def: LiveDef<unknown>): ReactiveNode<unknown> {
    switch (def._tag) {
      case 'signal': {
        const s = def as SignalDef<unknown>;
        const node = this.#graph.atom(s.initial, { label: s.label, ...(s.equal === undefined ? {} : { equal: s.equal }) });
        this.values.set(node, { kind: 'signal', label: node.label });
        return node;
      }
      case 'computed': {
        const c = def as ComputedDef<unknown>;
        const node = this.#graph.thunk((get) => c.fn((d) => get(this.nodeFor(d))), { label: c.label, ...(c.equal === undefined ? {} : { equal: c.equal }) });
        this.values.set(node, { kind: 'computed', label: node.label });
        return node;
      }
      case 'query': {
        if (!isQueryDef(def)) break;
        const info: QueryNodeInfo = { def, sql: undefined, tables: EMPTY, resultSize: undefined, runs: 0, lastRunMs: undefined };
        const node = this.#graph.thunk(
          (get) => {
            const spec = def.resolve((d) => get(this.nodeFor(d)), this.#sessionId);
            const db = this.#db();
            if (spec.sql !== info.sql) {
              const used = db.tablesUsed(spec.sql);
              info.tables = new Set([...used.read].filter((t) => !isSystemTable(t)));
              info.sql = spec.sql;
            }
            const started = performance.now();
            const rows = db.all(spec.sql, spec.bindValues);
            info.lastRunMs = performance.now() - started;
            info.runs++;
            info.resultSize = rows.length;
            return spec.decode(rows);
          },
          { label: def.label, tables: () => info.tables },
        );
        this.queries.set(node, info);
        return node;
      }
    }
    throw new LsError('LS_INVALID_QUERY', `Not a live definition: ${String((def as { label?: unknown }).label)}. Use signal(…), computed(…) or queryDb(…).`);
  }
}

function depsKey(def: LiveDef<unknown>): string | undefined {
  const deps = (def as { deps?: unknown }).deps;
  if (deps === undefined) return undefined;
  return `${def._tag}\u0000${def.label}\u0000${JSON.stringify(deps)}`;
}
