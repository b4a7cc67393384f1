/**
 * The benchmark driver both pages install as `window.__b`: every scenario's operations, written
 * once against the API ls-elements and LiveStore share (commit, synchronous query, subscribe), so
 * the two stores run exactly the same calls. Timings are taken in the page with performance.now()
 * (no Playwright round trip inside a measurement); the node side (scripts/bench.mjs) only starts
 * loops and collects the samples. Cross-tab times use performance.timeOrigin + now(), which is
 * comparable between tabs of one browser. Every loop is bounded in count and in time.
 */

/** The part of a store the benchmark uses (both libraries' Store has this shape). */
export interface BenchStore {
  commit(...events: readonly unknown[]): unknown;
  query(query: unknown): unknown;
  subscribe(query: unknown, onUpdate: (value: unknown) => void): () => void;
}

export interface BenchTarget {
  readonly name: 'ls-elements' | 'livestore';
  readonly store: BenchStore;
  readonly events: {
    todoCreated(args: { id: string; text: string }): unknown;
    todoCompleted(args: { id: string }): unknown;
  };
  readonly todos: {
    where(params: Record<string, unknown>): { orderBy(col: string, dir: 'asc' | 'desc'): { limit(n: number): unknown } } & unknown;
  };
  /** Resolves when what was committed is durable, if the library offers a way to know. */
  readonly flush?: () => Promise<void>;
  /** Size of this tab's SQLite wasm memory, where the library lets a page see it. */
  readonly wasmBytes?: () => number;
  readonly shutdown: () => Promise<void>;
}

type Row = { readonly id: string };
const now = (): number => performance.now();
const epoch = (): number => performance.timeOrigin + performance.now();
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
let counter = 0;
const freshId = (kind: string): string => `${kind}-${String(++counter).padStart(6, '0')}-${Math.random().toString(36).slice(2, 7)}`;

export function makeDriver(t: BenchTarget) {
  const { store, events, todos } = t;
  /** Rows of one `text` value, as subscriptions see them: id → epoch time first seen. */
  const watchers = new Map<string, Map<string, number>>();
  const waiters = new Map<string, () => void>();

  function watch(text: string): Map<string, number> {
    let seen = watchers.get(text);
    if (seen !== undefined) return seen;
    const map = new Map<string, number>();
    seen = map;
    watchers.set(text, map);
    store.subscribe(todos.where({ text }), (rows) => {
      const at = epoch();
      for (const row of rows as readonly Row[]) {
        if (map.has(row.id)) continue;
        map.set(row.id, at);
        waiters.get(row.id)?.();
      }
    });
    return map;
  }

  return {
    name: t.name,
    /** Commits todos `from`…`to` - 1 in batches (one commit call per batch), every third then completed. */
    async seed(from: number, to: number, batch = 500): Promise<number> {
      const t0 = now();
      const n = to;
      for (let i = from; i < n; i += batch) {
        const created = [];
        const completed = [];
        for (let j = i; j < Math.min(n, i + batch); j++) {
          const id = `seed-${String(j).padStart(6, '0')}`;
          created.push(events.todoCreated({ id, text: `todo ${String((j * 7919) % 100_000).padStart(5, '0')}` }));
          if (j % 3 === 0) completed.push(events.todoCompleted({ id }));
        }
        store.commit(...created, ...completed);
        await tick();
      }
      await t.flush?.();
      return now() - t0;
    },
    count(): number {
      return (store.query(todos.where({})) as readonly Row[]).length;
    },
    /** Scenario 2: commit one todo, then a synchronous query that must see it. */
    async commitThenQuery(rounds: number, budgetMs: number): Promise<number[]> {
      const out: number[] = [];
      const end = now() + budgetMs;
      for (let r = 0; r < rounds && now() < end; r++) {
        const id = freshId('cq');
        const t0 = now();
        store.commit(events.todoCreated({ id, text: 'cq' }));
        const rows = store.query(todos.where({ id })) as readonly Row[];
        const dt = now() - t0;
        if (rows.length !== 1) throw new Error(`${t.name}: the query right after commit did not see ${id}`);
        out.push(dt);
        await tick();
      }
      return out;
    },
    /** Scenario 3: commit one todo until a subscription's callback delivers it. */
    async commitToSubscription(rounds: number, budgetMs: number): Promise<number[]> {
      const seen = watch('sub');
      const out: number[] = [];
      const end = now() + budgetMs;
      for (let r = 0; r < rounds && now() < end; r++) {
        const id = freshId('sub');
        const arrived = new Promise<void>((resolve, reject) => {
          waiters.set(id, resolve);
          setTimeout(() => reject(new Error(`${t.name}: no subscription callback for ${id} within 5 s`)), 5000);
        });
        const t0 = epoch();
        store.commit(events.todoCreated({ id, text: 'sub' }));
        await arrived;
        waiters.delete(id);
        out.push(seen.get(id)! - t0);
        await tick();
      }
      return out;
    },
    /** Scenario 5: a filtered, ordered, limited query (a new bound each round, so nothing is cached). */
    async filteredQuery(rounds: number, budgetMs: number, afterWrite: boolean): Promise<number[]> {
      const out: number[] = [];
      const end = now() + budgetMs;
      for (let r = 0; r < rounds && now() < end; r++) {
        if (afterWrite) store.commit(events.todoCreated({ id: freshId('qw'), text: 'qw' }));
        const bound = `todo ${String(Math.floor(Math.random() * 100_000)).padStart(5, '0')}`;
        const q = todos.where({ completed: false, text: { op: '<', value: bound } }).orderBy('text', 'desc').limit(20);
        const t0 = now();
        const rows = store.query(q) as readonly Row[];
        out.push(now() - t0);
        if (rows.length > 20) throw new Error(`${t.name}: limit ignored`);
        await tick();
      }
      return out;
    },
    /** Scenario 4: `n` single-event commits in one loop, then the wait until durable (when knowable). */
    async commitLoop(n: number, budgetMs: number): Promise<{ count: number; loopMs: number; durableMs: number | null }> {
      const end = now() + budgetMs;
      const t0 = now();
      let count = 0;
      for (; count < n && (count % 100 !== 0 || now() < end); count++) {
        store.commit(events.todoCreated({ id: freshId('loop'), text: 'loop' }));
      }
      const loopMs = now() - t0;
      if (t.flush === undefined) return { count, loopMs, durableMs: null };
      await t.flush();
      return { count, loopMs, durableMs: now() - t0 };
    },
    /** Scenario 6: subscribe here to the cross-tab todos. */
    watchCrossTab(): void {
      watch('xtab');
    },
    /** Scenario 6: commit a cross-tab todo; returns its id and the epoch time of the commit. */
    commitCrossTab(): { id: string; at: number } {
      const id = freshId('xtab');
      const at = epoch();
      store.commit(events.todoCreated({ id, text: 'xtab' }));
      return { id, at };
    },
    /** Scenario 6: when this tab's subscription first saw `id` (epoch ms), or null. */
    seenCrossTab(id: string): number | null {
      return watchers.get('xtab')?.get(id) ?? null;
    },
    /** Scenario 8: main-thread JS heap (after a GC when the browser exposes one). */
    heapBytes(): number | null {
      const g = globalThis as unknown as { gc?: () => void };
      g.gc?.();
      const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
      return memory?.usedJSHeapSize ?? null;
    },
    /** Scenario 7 (100,000 events): commits groups of 1,000 todos until `n` events or the budget; then waits until durable. */
    async seedEvents(n: number, budgetMs: number): Promise<{ events: number; ms: number }> {
      const t0 = now();
      let done = 0;
      while (done < n && now() - t0 < budgetMs) {
        const group = [];
        for (let j = 0; j < Math.min(1000, n - done); j++) group.push(events.todoCreated({ id: freshId('big'), text: `big ${done + j}` }));
        store.commit(...group);
        done += group.length;
        await tick();
      }
      await t.flush?.();
      return { events: done, ms: now() - t0 };
    },
    /** Scenario 8: memory by realm (this page, its workers) from measureUserAgentSpecificMemory, and the wasm memory when visible. */
    async memory(): Promise<{ page: number; workers: number; shared: number; total: number; wasm: number | null } | null> {
      const p = performance as unknown as { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number; breakdown: { bytes: number; types: string[]; attribution: { scope: string }[] }[] }> };
      if (p.measureUserAgentSpecificMemory === undefined || !crossOriginIsolated) return null;
      const m = await p.measureUserAgentSpecificMemory();
      let page = 0, workers = 0, shared = 0;
      for (const b of m.breakdown) {
        const scopes = b.attribution.map((a) => a.scope);
        if (scopes.includes('Window')) page += b.bytes;
        else if (scopes.some((s) => s.endsWith('WorkerGlobalScope'))) workers += b.bytes;
        else shared += b.bytes;
      }
      return { page, workers, shared, total: m.bytes, wasm: t.wasmBytes?.() ?? null };
    },
    shutdown: () => t.shutdown(),
  };
}

export type Driver = ReturnType<typeof makeDriver>;

/** Installs the driver once the store is ready, recording when (ms since navigation start). */
export function install(open: () => Promise<BenchTarget>): void {
  const w = window as unknown as { __b?: Driver; __readyMs?: number; __bootError?: string };
  open().then(
    (target) => {
      w.__readyMs = performance.now();
      w.__b = makeDriver(target);
    },
    (err: unknown) => {
      w.__bootError = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    },
  );
}
