/**
 * Executable forms of the invariants in the header of sync-state.ts, for tests, the simulation and
 * debug builds. Each returns the list of violations, empty when all hold, so that a failing test
 * can print every broken rule at once.
 *
 * - `checkInvariants(state)`: I1 (pending contiguous from upstreamHead+1), I2 (localHead), I3 (ids).
 * - `checkMergeResult(before, input, result)`: one step of I6 (upstreamHead never goes back, the
 *   upstream part grows by exactly what was confirmed and applied) and I7 (every pending or newly
 *   pushed id ends up exactly once in pending, confirmed, dropped or replaced; a reject changes
 *   nothing), plus the shape of a rebase (rollback is the undone pending suffix, newest first;
 *   reapply is the new pending).
 */
import type { LiveEvent } from './live-event.ts';
import { contiguityProblem } from './sync-state.ts';
import type { MergeResult, SyncInput, SyncState } from './sync-state.ts';

export function checkInvariants(state: SyncState): readonly string[] {
  const problems: string[] = [];
  if (!Number.isInteger(state.upstreamHead) || state.upstreamHead < 0) problems.push(`I1: upstreamHead ${state.upstreamHead} is not an integer ≥ 0`);
  const broken = contiguityProblem(state.pending, state.upstreamHead);
  if (broken !== undefined) problems.push(`I1: pending is not contiguous from upstreamHead ${state.upstreamHead}: ${broken}`);
  if (state.localHead !== state.upstreamHead + state.pending.length) {
    problems.push(`I2: localHead ${state.localHead} ≠ upstreamHead ${state.upstreamHead} + ${state.pending.length} pending`);
  }
  const ids = new Set<string>();
  for (const e of state.pending) {
    if (ids.has(e.id)) problems.push(`I3: pending id ${e.id} appears twice`);
    ids.add(e.id);
  }
  return problems;
}

export function checkMergeResult(before: SyncState, input: SyncInput, result: MergeResult): readonly string[] {
  const after = result.state;
  const problems = checkInvariants(after).slice();
  if (result._tag === 'reject') {
    if (after !== before) problems.push('I7: a reject returned a different state');
    return problems;
  }
  if (after.upstreamHead < before.upstreamHead) problems.push(`I6: upstreamHead went back from ${before.upstreamHead} to ${after.upstreamHead}`);

  const newPending = result._tag === 'advance' ? result.newPending : [];
  if (input._tag !== 'local-push' && newPending.length > 0) problems.push('an upstream input added pending events');
  const dropped = result._tag === 'rebase' ? result.dropped : [];
  const replaced = result._tag === 'rebase' ? result.replaced : [];
  const beforeIds = new Set(before.pending.map((e) => e.id));

  // I7: each id we were responsible for lands in exactly one place.
  const fate = new Map<string, number>();
  const count = (events: readonly LiveEvent[]): void => {
    for (const e of events) fate.set(e.id, (fate.get(e.id) ?? 0) + 1);
  };
  count(after.pending);
  count(result.confirmed);
  count(dropped);
  count(replaced.map((r) => r.original));
  for (const e of [...before.pending, ...newPending]) {
    const n = fate.get(e.id) ?? 0;
    if (n !== 1) problems.push(`I7: event ${e.id} ends up ${n} times in pending/confirmed/dropped/replaced`);
  }
  const allowed = new Set([...beforeIds, ...newPending.map((e) => e.id), ...replaced.map((r) => r.replacement.id)]);
  for (const e of after.pending) if (!allowed.has(e.id)) problems.push(`I7: pending event ${e.id} came from nowhere`);
  for (const e of result.confirmed) if (!beforeIds.has(e.id)) problems.push(`confirmed event ${e.id} was not pending`);

  if (result._tag === 'advance') {
    const grown = result.confirmed.length + result.apply.length;
    if (after.upstreamHead !== before.upstreamHead + grown) {
      problems.push(`I6: upstreamHead moved from ${before.upstreamHead} to ${after.upstreamHead} for ${grown} upstream events`);
    }
    if (result.apply.length > 0 && after.pending.length > 0) problems.push('an advance applied foreign events under pending ones');
    return problems;
  }

  const kept = before.pending.length - result.rollback.length;
  const undone = before.pending.slice(kept).reverse();
  if (kept < 0 || undone.some((e, i) => e !== result.rollback[i])) problems.push('rollback is not the pending suffix, newest first');
  const prefix = before.pending.slice(0, Math.max(kept, 0));
  if (prefix.some((e, i) => e.id !== result.confirmed[i]?.id)) problems.push('the pending kept in place is not confirmed first');
  if (contiguityProblem(result.apply, before.upstreamHead + kept) !== undefined) problems.push('apply does not continue the common prefix');
  if (after.upstreamHead !== before.upstreamHead + kept + result.apply.length) problems.push(`I6: upstreamHead ${after.upstreamHead} does not end apply`);
  if (result.reapply.length !== after.pending.length || result.reapply.some((e, i) => e !== after.pending[i])) {
    problems.push('reapply is not the new pending');
  }
  return problems;
}
