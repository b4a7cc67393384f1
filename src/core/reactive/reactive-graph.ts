/**
 * ReactiveGraph: signals (atoms), computed values and live queries (thunks), push-pull.
 *
 * Push: `set(atom)` and `invalidateTables(tables)` only mark: dependents become CHECK, thunks
 * that read a written table become DIRTY; marking stops at nodes already marked. Nothing runs.
 * Pull: `get(node)` brings the node up to date (refresh-node.ts), recomputing only nodes whose
 * inputs really changed, each at most once. Unobserved thunks are therefore lazy: marked, never
 * run until someone reads them.
 * Flush: after marking (or at the end of the outermost `batch`), each marked node that has
 * subscribers is pulled and its subscribers get the new value if it changed by the node's
 * `equal`. All marking happens before any pulling, so a subscriber never sees a half-updated
 * graph (glitch-free) and hears at most once per flush round.
 * Sets from inside a subscriber are queued for another round of the running flush; more than
 * `maxFlushRounds` rounds means subscribers keep writing each other: reported, not looped.
 * `subscribe` calls back at once with the current value (as LiveStore does), then on changes.
 * A failing compute or callback is reported to `onError` and never stops other subscribers.
 */
import { LsError } from '../errors.ts';
import { deepEqual } from './deep-equal.ts';
import { CHECK, CLEAN, DIRTY, GraphNode, type Compute, type EqualFn, type NodeState, type ReactiveNode, type Subscription } from './reactive-node.ts';
import { refreshNode, type EvalContext } from './refresh-node.ts';
import { FlushQueue } from './flush-queue.ts';
import { describeNode, type NodeInfo, type ReactiveStats } from './node-info.ts';

export interface ReactiveGraphOptions {
  /** Failures of computes seen by subscriptions, and of subscriber callbacks. Default: console.error. */
  onError?: (err: unknown, node: ReactiveNode<unknown>) => void;
  /** Clock for `stats` (milliseconds). Default: performance.now. */
  now?: () => number;
  /** Flush rounds (sets from subscribers) allowed before giving up with LS_REACTIVE_CYCLE. Default 100. */
  maxFlushRounds?: number;
}

export interface SubscribeOptions {
  /** Do not call back with the current value now; only on later changes. */
  skipInitial?: boolean;
  /** This subscription's failures (instead of the graph's onError). */
  onError?: (err: unknown) => void;
}

export class ReactiveGraph {
  readonly stats: ReactiveStats;
  readonly #nodes = new Set<GraphNode>();
  readonly #tableNodes = new Set<GraphNode>();
  readonly #queue: FlushQueue;
  readonly #ctx: EvalContext;
  readonly #onError: (err: unknown, node: ReactiveNode<unknown>) => void;
  #nextId = 1;

  constructor(options: ReactiveGraphOptions = {}) {
    this.#onError = options.onError ?? ((err, node) => console.error(`[ls-elements] reactive node "${node.label}" failed`, err));
    const now = options.now ?? (() => performance.now());
    this.#ctx = { stack: [], now, resolve: (handle) => this.#resolve(handle) };
    this.#queue = new FlushQueue(this.#ctx, this.#onError, options.maxFlushRounds ?? 100);
    this.stats = {
      computeCount: (node) => this.#resolve(node, true).computeCount,
      lastDurationMs: (node) => this.#resolve(node, true).lastDurationMs,
      lastComputedAt: (node) => this.#resolve(node, true).lastComputedAt,
    };
  }

  /** A settable value. `equal` (default Object.is) decides whether a `set` is a change. */
  atom<T>(initial: T, options: { label?: string; equal?: EqualFn<T> } = {}): ReactiveNode<T> {
    const id = this.#nextId++;
    const node = new GraphNode({
      graph: this, id, kind: 'atom', initial,
      label: options.label ?? `atom#${id}`,
      equal: (options.equal ?? Object.is) as EqualFn<unknown>,
    });
    this.#nodes.add(node);
    return node as ReactiveNode<T>;
  }

  /**
   * A computed value; `compute` runs lazily, synchronously, and reads other nodes with `get`.
   * `equal` (default deepEqual) decides whether a recompute is a change. `tables` marks a live
   * query: `invalidateTables` re-runs it when one of these tables was written.
   */
  thunk<T>(compute: Compute<T>, options: { label?: string; equal?: EqualFn<T>; tables?: () => ReadonlySet<string> } = {}): ReactiveNode<T> {
    const id = this.#nextId++;
    const node = new GraphNode({
      graph: this, id, kind: 'thunk', compute,
      label: options.label ?? `thunk#${id}`,
      equal: (options.equal ?? deepEqual) as EqualFn<unknown>,
      tables: options.tables,
    });
    this.#nodes.add(node);
    if (options.tables !== undefined) this.#tableNodes.add(node);
    return node as ReactiveNode<T>;
  }

  /**
   * The current value, recomputing only what changed. Rethrows the compute's error. Called
   * inside a compute it reads without recording a dependency.
   */
  get<T>(node: ReactiveNode<T>): T {
    const n = this.#resolve(node);
    refreshNode(n, this.#ctx);
    if (n.failed) throw n.error;
    return n.value as T;
  }

  /**
   * Sets an atom to `value`, or to `value(prev)` when given a function (so to store a function,
   * pass `() => fn`). Subscribers run before `set` returns, unless inside `batch` or a flush.
   */
  set<T>(atom: ReactiveNode<T>, value: T | ((prev: T) => T)): void {
    const n = this.#resolve(atom);
    if (n.kind !== 'atom') {
      throw new LsError('LS_INVALID_ARGUMENT', `"${n.label}" is computed and cannot be set; set one of the signals it reads`);
    }
    this.#assertNotComputing('set()');
    const next = typeof value === 'function' ? (value as (prev: unknown) => unknown)(n.value) : value;
    if (n.equal(n.value, next)) return;
    n.value = next;
    n.version++;
    if (n.subs.size > 0) this.#queue.enqueue(n);
    for (const dependent of n.dependents) this.#mark(dependent, CHECK);
    this.#queue.flush();
  }

  /** Marks every thunk whose `tables()` include one of `tables` (and its dependents), then flushes. */
  invalidateTables(tables: Iterable<string>): void {
    this.#assertNotComputing('invalidateTables()');
    const written = new Set(tables);
    if (written.size === 0) return;
    for (const n of this.#tableNodes) {
      if (n.state === DIRTY) continue;
      let hit = false;
      try {
        for (const table of n.tables?.() ?? []) if (written.has(table)) { hit = true; break; }
      } catch (err) {
        this.#onError(err, n);
        hit = true; // unknown tables: re-running is the safe choice
      }
      if (hit) this.#mark(n, DIRTY);
    }
    this.#queue.flush();
  }

  /** Runs `fn`; subscribers run once, after the outermost batch ends (even if `fn` throws). */
  batch<T>(fn: () => T): T {
    this.#queue.batchDepth++;
    try {
      return fn();
    } finally {
      this.#queue.batchDepth--;
      this.#queue.flush();
    }
  }

  /**
   * Calls `cb` now with the current value (like LiveStore; `skipInitial` to opt out), then after
   * each change of the value by the node's `equal`, at most once per flush round. A failing
   * compute goes to `options.onError`, else to the graph's onError; `cb` is called again once
   * the node recovers. Returns the unsubscribe function (idempotent, safe inside a flush).
   */
  subscribe<T>(node: ReactiveNode<T>, cb: (value: T) => void, options: SubscribeOptions = {}): () => void {
    const n = this.#resolve(node);
    const sub: Subscription = {
      cb: cb as (value: unknown) => void, onError: options.onError,
      active: true, seenVersion: -1, hasValue: false, lastValue: undefined, lastFailed: false,
    };
    n.subs.add(sub);
    if (this.#queue.pull(n)) this.#queue.notify(sub, n, options.skipInitial === true);
    return () => {
      if (!sub.active) return;
      sub.active = false;
      n.subs.delete(sub);
    };
  }

  /** Removes a node that nothing subscribes to or reads any more; later use of it throws. */
  dispose(node: ReactiveNode<unknown>): void {
    const n = this.#resolve(node);
    if (n.subs.size > 0 || n.dependents.size > 0 || n.onStack) {
      const readers = [...n.dependents].map((d) => `"${d.label}"`).join(', ') || 'none';
      throw new LsError('LS_INVALID_ARGUMENT',
        `Cannot dispose "${n.label}": it has ${n.subs.size} subscriber(s) and is read by ${readers}; unsubscribe and dispose its readers first`);
    }
    for (const dep of n.deps.keys()) dep.dependents.delete(n);
    n.deps = new Map();
    n.disposed = true;
    n.value = undefined;
    n.error = undefined;
    this.#nodes.delete(n);
    this.#tableNodes.delete(n);
    this.#queue.forget(n);
  }

  /** Every live node, for devtools; see `inspect` for the details of one. */
  nodes(): Iterable<ReactiveNode<unknown>> {
    return [...this.#nodes];
  }

  /** A snapshot of one node for devtools: state, value, error, counts, edges. Never computes. */
  inspect(node: ReactiveNode<unknown>): NodeInfo {
    return describeNode(this.#resolve(node, true));
  }

  #mark(start: GraphNode, level: NodeState): void {
    const todo: Array<[GraphNode, NodeState]> = [[start, level]];
    for (let item = todo.pop(); item !== undefined; item = todo.pop()) {
      const [n, wanted] = item;
      const wasClean = n.state === CLEAN;
      if (wanted > n.state) n.state = wanted;
      if (!wasClean) continue; // already marked, and so is everything downstream
      if (n.subs.size > 0) this.#queue.enqueue(n);
      for (const dependent of n.dependents) todo.push([dependent, CHECK]);
    }
  }

  #assertNotComputing(what: string): void {
    const top = this.#ctx.stack[this.#ctx.stack.length - 1];
    if (top === undefined) return;
    throw new LsError('LS_INVALID_ARGUMENT',
      `${what} was called while "${top.label}" was computing; computed values and queries must not write, write from an event handler or a subscriber`);
  }

  #resolve(handle: ReactiveNode<unknown>, allowDisposed = false): GraphNode {
    if (!(handle instanceof GraphNode) || handle.graph !== this) {
      throw new LsError('LS_INVALID_ARGUMENT', 'This node belongs to another store or graph; create it with this graph');
    }
    if (handle.disposed && !allowDisposed) {
      throw new LsError('LS_INVALID_ARGUMENT', `"${handle.label}" was disposed; create a new node`);
    }
    return handle;
  }
}
