/**
 * The pull half of push-pull: bring one node up to date, recomputing only what must be.
 *
 * `refreshNode(node)`: CLEAN → nothing. CHECK → refresh the deps in the order they were read and
 * compare their versions with the ones seen at the last compute; the first difference means
 * recompute, none means CLEAN without running anything. DIRTY → recompute.
 *
 * A recompute runs `compute(get)` with a fresh dependency list, so deps no longer read are
 * dropped (dynamic dependencies). A throw is the node's result: it is stored with a new version
 * and rethrown to whoever reads it, never out of `refreshNode`. The only thing `refreshNode`
 * throws is a cycle, detected when it reaches a node already on the evaluation stack; the cycle
 * error names every label on the loop.
 *
 * Deps are visited recursively, so a chain deeper than the JS stack (many thousands) fails.
 */
import { LsError } from '../errors.ts';
import { CHECK, CLEAN, type GraphNode, type ReactiveNode } from './reactive-node.ts';

export interface EvalContext {
  /** Nodes being computed or checked, outermost first. */
  readonly stack: GraphNode[];
  readonly now: () => number;
  /** Turns a handle given to `get` into this graph's node, or throws. */
  readonly resolve: (handle: ReactiveNode<unknown>) => GraphNode;
}

export function refreshNode(node: GraphNode, ctx: EvalContext): void {
  if (node.state === CLEAN) return;
  if (node.onStack) throw cycleError(node, ctx.stack);
  if (node.state === CHECK && !depsChanged(node, ctx)) {
    node.state = CLEAN;
    return;
  }
  recompute(node, ctx);
}

function depsChanged(node: GraphNode, ctx: EvalContext): boolean {
  enter(node, ctx);
  try {
    for (const [dep, seen] of node.deps) {
      try {
        refreshNode(dep, ctx);
      } catch {
        // A cycle through a recorded dep: recompute so that the cycle error lands in the
        // results of the nodes on the loop, where readers and subscribers will see it.
        return true;
      }
      if (dep.version !== seen) return true;
    }
    return false;
  } finally {
    leave(node, ctx);
  }
}

function recompute(node: GraphNode, ctx: EvalContext): void {
  const compute = node.compute;
  if (compute === undefined) {
    node.state = CLEAN; // atoms are always current; reaching here would be a bookkeeping bug
    return;
  }
  const nextDeps = new Map<GraphNode, number>();
  let open = true;
  const get = <U>(handle: ReactiveNode<U>): U => {
    if (!open) {
      throw new LsError('LS_INVALID_ARGUMENT',
        `"${node.label}" read a value after its compute returned; read everything synchronously inside the compute function`);
    }
    const dep = ctx.resolve(handle);
    try {
      refreshNode(dep, ctx);
    } finally {
      // Recorded even when the read fails (cycle included): a later change of the dep must
      // reach this node so that it can recover.
      nextDeps.set(dep, dep.version);
    }
    if (dep.failed) throw dep.error;
    return dep.value as U;
  };

  enter(node, ctx);
  const startedAt = ctx.now();
  let value: unknown;
  let failed = false;
  let error: unknown;
  try {
    value = compute(get);
  } catch (err) {
    failed = true;
    error = err;
  } finally {
    open = false;
    leave(node, ctx);
  }
  node.computeCount++;
  node.lastComputedAt = startedAt;
  node.lastDurationMs = ctx.now() - startedAt;
  relink(node, nextDeps);
  node.state = CLEAN;

  if (!failed && node.hasValue && !node.failed) {
    try {
      if (node.equal(node.value, value)) return;
    } catch (err) {
      failed = true;
      error = err;
    }
  }
  node.version++;
  if (failed) {
    node.failed = true;
    node.error = error;
    return;
  }
  node.failed = false;
  node.error = undefined;
  node.value = value;
  node.hasValue = true;
}

/** Replaces the dependency edges of `node`, in both directions. */
function relink(node: GraphNode, nextDeps: Map<GraphNode, number>): void {
  for (const old of node.deps.keys()) {
    if (!nextDeps.has(old)) old.dependents.delete(node);
  }
  for (const dep of nextDeps.keys()) dep.dependents.add(node);
  node.deps = nextDeps;
}

function enter(node: GraphNode, ctx: EvalContext): void {
  node.onStack = true;
  ctx.stack.push(node);
}

function leave(node: GraphNode, ctx: EvalContext): void {
  node.onStack = false;
  ctx.stack.pop();
}

function cycleError(node: GraphNode, stack: readonly GraphNode[]): LsError {
  const start = stack.indexOf(node);
  const loop = [...stack.slice(start < 0 ? 0 : start), node].map((n) => n.label);
  return new LsError('LS_REACTIVE_CYCLE',
    `Cycle among computed values: ${loop.join(' → ')}. A computed or query must not read itself, directly or through others; break the loop`,
    { details: { labels: loop } });
}
