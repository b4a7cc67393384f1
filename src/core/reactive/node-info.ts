/**
 * What devtools and tests can learn about the graph without changing it: per-node run counts
 * and timings (`ReactiveStats`), and a snapshot of one node (`NodeInfo`).
 *
 * Tests assert on `computeCount`, never on durations: counts say whether the graph did
 * unnecessary work; times only say how busy the machine was. A snapshot never computes: a
 * node that is not fresh shows its last value and `state: 'stale'`.
 */
import { CLEAN, type GraphNode, type ReactiveNode } from './reactive-node.ts';

export interface ReactiveStats {
  /** How many times the node's compute ran (0 for atoms). */
  computeCount(node: ReactiveNode<unknown>): number;
  /** Duration of the last run in milliseconds of the graph's clock; undefined before the first. */
  lastDurationMs(node: ReactiveNode<unknown>): number | undefined;
  /** When the last run started, by the graph's clock; undefined before the first. */
  lastComputedAt(node: ReactiveNode<unknown>): number | undefined;
}

export interface NodeInfo {
  readonly id: number;
  readonly label: string;
  readonly kind: 'atom' | 'thunk';
  /** fresh: value is current; stale: an input may have changed; uncomputed: never ran. */
  readonly state: 'fresh' | 'stale' | 'uncomputed' | 'disposed';
  readonly hasValue: boolean;
  /** The current (or, when stale, last) value; undefined when `hasValue` is false. */
  readonly value: unknown;
  /** Present when the last compute threw. */
  readonly error?: unknown;
  readonly computeCount: number;
  readonly lastDurationMs: number | undefined;
  readonly subscriberCount: number;
  readonly dependencies: readonly ReactiveNode<unknown>[];
  readonly dependents: readonly ReactiveNode<unknown>[];
  /** The SQLite tables a query node reads, as last declared. */
  readonly tables?: readonly string[];
}

export function describeNode(n: GraphNode): NodeInfo {
  const state = n.disposed ? 'disposed'
    : n.kind === 'thunk' && n.computeCount === 0 ? 'uncomputed'
      : n.state === CLEAN ? 'fresh' : 'stale';
  const info: { -readonly [K in keyof NodeInfo]: NodeInfo[K] } = {
    id: n.id,
    label: n.label,
    kind: n.kind,
    state,
    hasValue: n.hasValue,
    value: n.value,
    computeCount: n.computeCount,
    lastDurationMs: n.lastDurationMs,
    subscriberCount: n.subs.size,
    dependencies: [...n.deps.keys()],
    dependents: [...n.dependents],
  };
  if (n.failed) info.error = n.error;
  if (n.tables !== undefined) {
    try {
      info.tables = [...n.tables()];
    } catch {
      // A devtools snapshot must not throw because a query cannot name its tables yet.
    }
  }
  return info;
}
