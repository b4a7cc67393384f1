/**
 * The sync state machine: pure `merge(state, input) → advance | rebase | reject`, no awaits, no
 * timers, no clock. The I/O loop (leader ⇄ server, and session ⇄ leader) feeds it what arrived and
 * carries out what it answers; everything that can go wrong in sync is decided here.
 *
 *   upstream: confirmed, in the server's order      pending: ours, provisional numbers
 *   1 ── 2 ── … ── upstreamHead  │  upstreamHead+1 ── … ── localHead
 *
 * Inputs: `local-push` (new local events on top of localHead), `upstream-advance` (events pulled,
 * contiguous from upstreamHead+1; older ones are ignored as duplicates), `push-ack` (the server
 * accepted exactly this batch at exactly these numbers; a stricter upstream-advance, kept separate
 * so a confused I/O loop is caught), `push-rejected` (the server's `missing` events are merged as an
 * upstream-advance; `head` tells the loop whether it must still pull). Upstream events whose ids
 * are pending confirm them; any foreign event among them forces a rebase: undo `rollback` (newest
 * first), apply `apply`, re-apply `reapply` (same ids, renumbered above the new upstreamHead),
 * after the conflict hook (sync-state-conflict.ts) has kept, dropped or replaced each of them.
 *
 * Invariants (checkInvariants / checkMergeResult in sync-state-invariants.ts; the simulation in
 * sync-state-simulation.ts checks them after every step):
 *   I1 pending is contiguous: pending[i].seqNum = upstreamHead+1+i, parentSeqNum = seqNum-1.
 *   I2 localHead = upstreamHead + pending.length.
 *   I3 ids are unique across pending.
 *   I4 merge is deterministic: same state, input and hook → same result (no clock, no randomness).
 *   I5 upstream inputs are idempotent: merging one again returns an advance with the same state.
 *   I6 upstreamHead only grows, and upstream events are taken in the server's order, never
 *      reordered, so the confirmed part of every client's log is a prefix of the server's log.
 *   I7 nothing is lost or doubled: each local event is pending, or confirmed, or reported once in
 *      `dropped` / `replaced`; a reject leaves the state as it was.
 *
 * clientOnly events never enter this machine: they are not part of the global order.
 */
import { LsError } from './errors.ts';
import type { LiveEvent } from './live-event.ts';
import { resolveConflicts } from './sync-state-conflict.ts';
import type { OnConflict, Replacement } from './sync-state-conflict.ts';

export { replacementId } from './sync-state-conflict.ts';
export type { Conflict, ConflictDecision, OnConflict, Replacement } from './sync-state-conflict.ts';

export interface SyncState {
  /** Last seqNum confirmed by upstream (the sync server; the leader, for a session). */
  readonly upstreamHead: number;
  /** Local events not confirmed yet, oldest first, numbered upstreamHead+1 … localHead. */
  readonly pending: readonly LiveEvent[];
  /** Last pending seqNum, or upstreamHead when nothing is pending (stored so readers need no math). */
  readonly localHead: number;
}

export type SyncInput =
  | { readonly _tag: 'local-push'; readonly events: readonly LiveEvent[] }
  | { readonly _tag: 'upstream-advance'; readonly events: readonly LiveEvent[] }
  | { readonly _tag: 'push-ack'; readonly events: readonly LiveEvent[] }
  | { readonly _tag: 'push-rejected'; readonly head: number; readonly missing: readonly LiveEvent[] };

export type SyncRejectReason =
  /** Upstream events start above upstreamHead+1: something was missed; pull from upstreamHead. */
  | 'gap'
  /** A local push does not start at localHead+1 (it was numbered on a stale head): renumber it. */
  | 'stale-parent'
  /** A batch is not numbered 1 apart with each parent the event before: a bug in the sender. */
  | 'not-contiguous'
  /** An id repeats inside a batch, or a local event reuses a pending id. */
  | 'duplicate-id'
  /** A push-ack names events that are not our pending prefix at those numbers. */
  | 'ack-mismatch';

export interface SyncAdvance {
  readonly _tag: 'advance';
  readonly state: SyncState;
  /** Pending events the input confirmed, as upstream sent them, oldest first (no work to redo). */
  readonly confirmed: readonly LiveEvent[];
  /** Foreign upstream events to materialize after the local head, in order. */
  readonly apply: readonly LiveEvent[];
  /** Local events appended to pending (local-push only). */
  readonly newPending: readonly LiveEvent[];
}

export interface SyncRebase {
  readonly _tag: 'rebase';
  readonly state: SyncState;
  /**
   * Every pending event the input confirmed, in upstream order. Those of the common prefix stay
   * where they are; those found further upstream are also in `rollback` and `apply`.
   */
  readonly confirmed: readonly LiveEvent[];
  /** Pending events to undo, newest first, exactly as they were applied. */
  readonly rollback: readonly LiveEvent[];
  /** Upstream events to apply after the common prefix, in server order. */
  readonly apply: readonly LiveEvent[];
  /** Pending events to re-apply on top, renumbered (the new pending). */
  readonly reapply: readonly LiveEvent[];
  /** Pending events the conflict hook dropped: undone for good, tell the app. */
  readonly dropped: readonly LiveEvent[];
  /** Pending events the conflict hook replaced; the replacement (renumbered) is in `reapply`. */
  readonly replaced: readonly Replacement[];
  /** Set when the hook failed: then every pending event was kept. */
  readonly hookError?: LsError;
}

export interface SyncReject {
  readonly _tag: 'reject';
  /** The state it was given, unchanged. */
  readonly state: SyncState;
  readonly reason: SyncRejectReason;
  readonly message: string;
}

export type MergeResult = SyncAdvance | SyncRebase | SyncReject;

export interface MergeOptions {
  readonly onConflict?: OnConflict;
}

/** A state, checked. Without arguments: the empty store (nothing upstream, nothing pending). */
export function createSyncState(init: { readonly upstreamHead?: number; readonly pending?: readonly LiveEvent[] } = {}): SyncState {
  const upstreamHead = init.upstreamHead ?? 0;
  const pending = init.pending ?? [];
  if (!Number.isInteger(upstreamHead) || upstreamHead < 0) {
    throw new LsError('LS_INVALID_ARGUMENT', `upstreamHead must be an integer ≥ 0, got ${String(upstreamHead)}.`);
  }
  const problem = contiguityProblem(pending, upstreamHead) ?? duplicateId(pending, new Set());
  if (problem !== undefined) {
    throw new LsError('LS_INVALID_ARGUMENT', `pending events do not fit upstreamHead ${upstreamHead}: ${problem}.`);
  }
  return makeState(upstreamHead, pending.slice());
}

export function merge(state: SyncState, input: SyncInput, options: MergeOptions = {}): MergeResult {
  switch (input._tag) {
    case 'local-push': return mergeLocalPush(state, input.events);
    case 'upstream-advance': return mergeUpstream(state, input.events, options, false);
    case 'push-ack': return mergeUpstream(state, input.events, options, true);
    case 'push-rejected': return mergeUpstream(state, input.missing, options, false);
  }
}

/** The next batch to push: the oldest pending events, at most `maxBatch` (its parent is upstreamHead). */
export function nextPushBatch(state: SyncState, maxBatch: number): readonly LiveEvent[] {
  if (!Number.isInteger(maxBatch) || maxBatch < 1) {
    throw new LsError('LS_INVALID_ARGUMENT', `maxBatch must be an integer ≥ 1, got ${String(maxBatch)}.`);
  }
  return state.pending.slice(0, maxBatch);
}

function mergeLocalPush(state: SyncState, events: readonly LiveEvent[]): MergeResult {
  if (events.length === 0) return advance(state, [], [], []);
  const broken = contiguityProblem(events, undefined);
  if (broken !== undefined) return reject(state, 'not-contiguous', `local events are not contiguous: ${broken}.`);
  const first = events[0] as LiveEvent;
  if (first.parentSeqNum !== state.localHead) {
    return reject(state, 'stale-parent',
      `local event ${first.id} has parent ${first.parentSeqNum} but the local head is ${state.localHead}; renumber it on the current head.`);
  }
  // The pending ids' set moves on to the next state, so a run of local pushes checks each new id
  // in O(1) instead of rebuilding the set from all pending events every time (quadratic while the
  // upstream does not confirm). The old state rebuilds its own if it is merged again.
  const ids = pendingIds.get(state) ?? new Set(state.pending.map((e) => e.id));
  pendingIds.delete(state);
  const dup = duplicateId(events, ids);
  if (dup !== undefined) return reject(state, 'duplicate-id', `local events: ${dup}.`);
  const next = makeState(state.upstreamHead, [...state.pending, ...events]);
  pendingIds.set(next, ids);
  return advance(next, [], [], events);
}

/** Ids of a state's pending events, when a local push made it (see mergeLocalPush). */
const pendingIds = new WeakMap<SyncState, Set<string>>();

function mergeUpstream(state: SyncState, events: readonly LiveEvent[], options: MergeOptions, ackOnly: boolean): MergeResult {
  const what = ackOnly ? 'acknowledged events' : 'upstream events';
  const broken = contiguityProblem(events, undefined);
  if (broken !== undefined) return reject(state, 'not-contiguous', `${what} are not contiguous: ${broken}.`);
  const dup = duplicateId(events, new Set());
  if (dup !== undefined) return reject(state, 'duplicate-id', `${what}: ${dup}.`);

  // Contiguous, so what is already known is a prefix: drop it (idempotence, I5).
  const fresh = events.filter((e) => e.seqNum > state.upstreamHead);
  if (fresh.length === 0) return advance(state, [], [], []);
  const first = fresh[0] as LiveEvent;
  if (first.seqNum !== state.upstreamHead + 1) {
    return reject(state, 'gap', `${what} start at ${first.seqNum} but upstream head is ${state.upstreamHead}; pull from ${state.upstreamHead}.`);
  }

  const { pending } = state;
  let common = 0;
  while (common < fresh.length && common < pending.length && fresh[common]?.id === pending[common]?.id) common++;
  if (ackOnly && common < fresh.length) {
    return reject(state, 'ack-mismatch',
      `acknowledged event ${fresh[common]?.id} at ${state.upstreamHead + 1 + common} is not the pending event there; ack only what nextPushBatch returned.`);
  }
  const newHead = (fresh[fresh.length - 1] as LiveEvent).seqNum;

  // Everything pending confirmed: foreign events beyond can be applied on top, nothing to undo.
  if (common === pending.length) return advance(makeState(newHead, []), fresh.slice(0, common), fresh.slice(common), []);
  // Upstream exhausted inside pending: the rest keeps its numbers, which are still right (I1).
  if (common === fresh.length) return advance(makeState(newHead, pending.slice(common)), fresh, [], []);
  return rebase(state, fresh, common, newHead, options);
}

function rebase(state: SyncState, fresh: readonly LiveEvent[], common: number, newHead: number, options: MergeOptions): SyncRebase {
  const apply = fresh.slice(common);
  const undone = state.pending.slice(common);
  const upstreamIds = new Set(apply.map((e) => e.id));
  const undoneIds = new Set(undone.map((e) => e.id));
  // Our own events can sit further upstream than the prefix (a resend after a lost rebase):
  // they arrive through `apply`, so they are not re-applied, only reported as confirmed.
  const confirmedLater = apply.filter((e) => undoneIds.has(e.id));
  const foreign = apply.filter((e) => !undoneIds.has(e.id));
  const candidates = undone.filter((e) => !upstreamIds.has(e.id));
  const resolution = resolveConflicts(foreign, candidates, options.onConflict, new Set(fresh.map((e) => e.id)));
  const reapply = resolution.kept.map((e, k): LiveEvent => ({ ...e, seqNum: newHead + 1 + k, parentSeqNum: newHead + k }));
  const renumbered = new Map(reapply.map((e) => [e.id, e]));
  const replaced = resolution.replaced.map((r): Replacement => ({
    original: r.original,
    replacement: renumbered.get(r.replacement.id) ?? r.replacement,
  }));
  const result: SyncRebase = {
    _tag: 'rebase',
    state: makeState(newHead, reapply),
    confirmed: [...fresh.slice(0, common), ...confirmedLater],
    rollback: undone.slice().reverse(),
    apply,
    reapply,
    dropped: resolution.dropped,
    replaced,
  };
  return resolution.hookError === undefined ? result : { ...result, hookError: resolution.hookError };
}

/** Takes ownership of `pending` (always a fresh array here) and freezes it: states are values. */
function makeState(upstreamHead: number, pending: LiveEvent[]): SyncState {
  return Object.freeze({ upstreamHead, pending: Object.freeze(pending), localHead: upstreamHead + pending.length });
}

function advance(state: SyncState, confirmed: readonly LiveEvent[], apply: readonly LiveEvent[], newPending: readonly LiveEvent[]): SyncAdvance {
  return { _tag: 'advance', state, confirmed, apply, newPending };
}

function reject(state: SyncState, reason: SyncRejectReason, message: string): SyncReject {
  return { _tag: 'reject', state, reason, message };
}

/** Why `events` are not numbered 1 apart, each on the one before (and, if given, on `base`). */
export function contiguityProblem(events: readonly LiveEvent[], base: number | undefined): string | undefined {
  let prev = base;
  for (const e of events) {
    if (!Number.isInteger(e.seqNum) || e.seqNum < 1 || e.parentSeqNum !== e.seqNum - 1) {
      return `event ${e.id} has seqNum ${e.seqNum} and parent ${e.parentSeqNum}`;
    }
    if (prev !== undefined && e.parentSeqNum !== prev) return `event ${e.id} has parent ${e.parentSeqNum}, expected ${prev}`;
    prev = e.seqNum;
  }
  return undefined;
}

function duplicateId(events: readonly LiveEvent[], seen: Set<string>): string | undefined {
  for (const e of events) {
    if (seen.has(e.id)) return `event id ${e.id} appears twice`;
    seen.add(e.id);
  }
  return undefined;
}
