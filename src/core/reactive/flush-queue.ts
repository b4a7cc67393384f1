/**
 * The flush half of push-pull: tells subscribers about the nodes that marking reached.
 *
 * `enqueue(node)` is called while marking, for each newly marked node that has subscribers.
 * `flush()` (unless inside a batch or already flushing) takes the queued nodes as one round,
 * pulls each and delivers the value to each active subscription whose node version moved and
 * whose value differs, by the node's `equal`, from what that subscription was last told.
 * A set from inside a callback queues nodes for the next round of the same flush, so writes in
 * subscribers never recurse; after `maxRounds` rounds the flush gives up with LS_REACTIVE_CYCLE.
 *
 * Invariant kept for the graph: a marked node with subscribers is queued or being flushed,
 * because marking stops at nodes already marked and would otherwise never queue it again.
 * Everything a user supplies (callbacks, equal) runs inside try/catch and goes to `onError`.
 */
import { LsError } from '../errors.ts';
import type { GraphNode, ReactiveNode, Subscription } from './reactive-node.ts';
import { refreshNode, type EvalContext } from './refresh-node.ts';

export class FlushQueue {
  readonly #pending = new Set<GraphNode>();
  readonly #ctx: EvalContext;
  readonly #onError: (err: unknown, node: ReactiveNode<unknown>) => void;
  readonly #maxRounds: number;
  batchDepth = 0;
  #flushing = false;

  constructor(ctx: EvalContext, onError: (err: unknown, node: ReactiveNode<unknown>) => void, maxRounds: number) {
    this.#ctx = ctx;
    this.#onError = onError;
    this.#maxRounds = maxRounds;
  }

  enqueue(n: GraphNode): void {
    this.#pending.add(n);
  }

  forget(n: GraphNode): void {
    this.#pending.delete(n);
  }

  flush(): void {
    if (this.batchDepth > 0 || this.#flushing) return;
    this.#flushing = true;
    try {
      for (let round = 1; this.#pending.size > 0; round++) {
        if (round > this.#maxRounds) {
          this.#abandon();
          break;
        }
        const nodes = [...this.#pending];
        this.#pending.clear();
        for (const n of nodes) {
          if (n.disposed || n.subs.size === 0 || !this.pull(n)) continue;
          for (const sub of [...n.subs]) if (sub.active) this.notify(sub, n, false);
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  /** Refreshes a node for its subscribers; false (after reporting) if that hit a cycle. */
  pull(n: GraphNode): boolean {
    try {
      refreshNode(n, this.#ctx);
      return true;
    } catch (err) {
      this.#onError(err, n);
      return false;
    }
  }

  /** Tells `sub` about the (fresh) node, if it has not heard of this version and value yet. */
  notify(sub: Subscription, n: GraphNode, silent: boolean): void {
    if (sub.seenVersion === n.version) return;
    sub.seenVersion = n.version;
    if (n.failed) {
      sub.lastFailed = true;
      if (sub.onError !== undefined) {
        const onError = sub.onError;
        this.#call(() => onError(n.error), n);
      } else if (n.reportedVersion !== n.version) {
        n.reportedVersion = n.version; // one report per failure, however many subscribers
        this.#onError(n.error, n);
      }
      return;
    }
    if (sub.hasValue && !sub.lastFailed && this.#same(n, sub.lastValue)) return;
    sub.hasValue = true;
    sub.lastFailed = false;
    sub.lastValue = n.value;
    if (!silent) this.#call(() => sub.cb(n.value), n);
  }

  /** Subscribers kept setting values: stop, report, and leave the nodes fresh but unannounced. */
  #abandon(): void {
    const stuck = [...this.#pending];
    this.#pending.clear();
    const first = stuck[0];
    if (first === undefined) return;
    const labels = stuck.map((n) => n.label);
    this.#onError(new LsError('LS_REACTIVE_CYCLE',
      `Subscribers kept changing values for ${this.#maxRounds} rounds of one flush (still changing: ${labels.join(', ')}); a subscriber that sets a signal must stop once it is up to date`,
      { details: { labels } }), first);
    // Refreshing keeps the invariant above, so later changes still reach these subscribers.
    for (const n of stuck) this.pull(n);
  }

  #same(n: GraphNode, previous: unknown): boolean {
    try {
      return n.equal(previous, n.value);
    } catch {
      return false;
    }
  }

  #call(fn: () => void, n: GraphNode): void {
    try {
      fn();
    } catch (err) {
      this.#onError(err, n);
    }
  }
}
