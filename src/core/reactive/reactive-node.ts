/**
 * The nodes of the reactive graph and their bookkeeping.
 *
 * Terms:
 * - atom: a settable value (a signal). Always fresh.
 * - thunk: a value computed from other nodes by `compute(get)`; `get` records what it read
 *   (`deps`, with the `version` of each dep seen at that time). The store's live queries are
 *   thunks that also declare `tables`, the SQLite tables they read.
 * - state: CLEAN (value is current), CHECK (something upstream may have changed: ask the deps
 *   first), DIRTY (must recompute: a table it reads was written, or it never ran).
 * - version: bumped whenever the value, or the failure, really changes (by `equal`), so a
 *   dependent in CHECK that sees the same versions in its deps needs no recompute.
 * - dependents: the reverse edges, kept for every thunk that read this node, observed or not,
 *   so marking can stop as soon as it meets a node that is not CLEAN (its downstream is already
 *   marked: a node only becomes CLEAN by refreshing its deps first).
 *
 * Users only see the `ReactiveNode` interface; `GraphNode` is the graph's own record.
 */

/** A handle to one node of a `ReactiveGraph`. Pass it back to the graph that created it. */
export interface ReactiveNode<T> {
  readonly id: number;
  readonly label: string;
  readonly kind: 'atom' | 'thunk';
  /** Type carrier only, never present at runtime. */
  readonly __type?: T;
}

/** Reads another node inside a compute, and records it as a dependency. */
export type Getter = <U>(node: ReactiveNode<U>) => U;

export type Compute<T> = (get: Getter) => T;

export type EqualFn<T> = (a: T, b: T) => boolean;

export const CLEAN = 0;
export const CHECK = 1;
export const DIRTY = 2;
export type NodeState = typeof CLEAN | typeof CHECK | typeof DIRTY;

/** One `subscribe()` call: what it was last told, so it hears each change exactly once. */
export interface Subscription {
  readonly cb: (value: unknown) => void;
  readonly onError: ((err: unknown) => void) | undefined;
  active: boolean;
  /** The node version this subscription has been told about; -1 before the first delivery. */
  seenVersion: number;
  hasValue: boolean;
  lastValue: unknown;
  /** The last delivery was a failure, so the next value must be delivered even if equal. */
  lastFailed: boolean;
}

export class GraphNode implements ReactiveNode<unknown> {
  readonly graph: object;
  readonly id: number;
  readonly label: string;
  readonly kind: 'atom' | 'thunk';
  readonly equal: EqualFn<unknown>;
  /** Undefined for atoms. */
  readonly compute: Compute<unknown> | undefined;
  /** The SQLite tables a query thunk reads; undefined for everything else. */
  readonly tables: (() => ReadonlySet<string>) | undefined;

  state: NodeState;
  value: unknown;
  hasValue: boolean;
  /** The last compute threw `error`; `value` still holds the last good value, for devtools. */
  failed = false;
  error: unknown = undefined;
  version = 0;
  /** The failure of this version was already reported to the graph's onError. */
  reportedVersion = -1;
  /** Being computed or having its deps checked right now: reaching it again is a cycle. */
  onStack = false;
  disposed = false;

  deps = new Map<GraphNode, number>();
  readonly dependents = new Set<GraphNode>();
  readonly subs = new Set<Subscription>();

  computeCount = 0;
  lastDurationMs: number | undefined = undefined;
  lastComputedAt: number | undefined = undefined;

  constructor(init: {
    graph: object;
    id: number;
    label: string;
    kind: 'atom' | 'thunk';
    equal: EqualFn<unknown>;
    compute?: Compute<unknown> | undefined;
    tables?: (() => ReadonlySet<string>) | undefined;
    initial?: unknown;
  }) {
    this.graph = init.graph;
    this.id = init.id;
    this.label = init.label;
    this.kind = init.kind;
    this.equal = init.equal;
    this.compute = init.compute;
    this.tables = init.tables;
    this.value = init.initial;
    this.hasValue = init.kind === 'atom';
    this.state = init.kind === 'atom' ? CLEAN : DIRTY;
  }
}
