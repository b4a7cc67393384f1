import { expect } from 'chai';
import { isLsError } from './errors.ts';
import type { LiveEvent } from './live-event.ts';
import { createSyncState, merge, nextPushBatch } from './sync-state.ts';
import type { MergeResult, SyncAdvance, SyncInput, SyncRebase, SyncReject, SyncState } from './sync-state.ts';
import { checkInvariants, checkMergeResult } from './sync-state-invariants.ts';
import { chainForTesting as chain, eventForTesting as ev, idsForTesting as ids, seqNumsForTesting as seqs, stateForTesting as state } from './sync-state-fixtures.ts';

/** Merges and checks every invariant of the step, so each test also tests I1–I7. */
function step(s: SyncState, input: SyncInput): MergeResult {
  const result = merge(s, input);
  expect(checkMergeResult(s, input, result)).to.deep.equal([]);
  return result;
}
function advance(r: MergeResult): SyncAdvance {
  expect(r._tag, r._tag === 'reject' ? r.message : '').to.equal('advance');
  return r as SyncAdvance;
}
function rebase(r: MergeResult): SyncRebase {
  expect(r._tag, r._tag === 'reject' ? r.message : '').to.equal('rebase');
  return r as SyncRebase;
}
function rejected(r: MergeResult, reason: SyncReject['reason'], s: SyncState): SyncReject {
  expect(r._tag).to.equal('reject');
  expect((r as SyncReject).reason).to.equal(reason);
  expect(r.state).to.equal(s);
  return r as SyncReject;
}
const upstream = (events: readonly LiveEvent[]): SyncInput => ({ _tag: 'upstream-advance', events });
const local = (events: readonly LiveEvent[]): SyncInput => ({ _tag: 'local-push', events });

describe('createSyncState', () => {
  it('starts empty: nothing upstream, nothing pending', () => {
    expect(createSyncState()).to.deep.equal({ upstreamHead: 0, pending: [], localHead: 0 });
  });

  it('derives localHead from pending numbered on top of upstreamHead', () => {
    const s = state(4, ['a', 'b']);
    expect(s.localHead).to.equal(6);
    expect(checkInvariants(s)).to.deep.equal([]);
  });

  it('refuses pending events that do not start at upstreamHead + 1', () => {
    expect(() => createSyncState({ upstreamHead: 3, pending: chain(['a'], 4) }))
      .to.throw().that.satisfies((e: unknown) => isLsError(e, 'LS_INVALID_ARGUMENT'));
  });

  it('refuses pending events with a repeated id', () => {
    expect(() => createSyncState({ pending: [ev('a', 1), ev('a', 2)] })).to.throw(/appears twice/);
  });

  it('refuses a negative upstreamHead', () => {
    expect(() => createSyncState({ upstreamHead: -1 })).to.throw(/upstreamHead/);
  });

  it('returns frozen states so that no caller can edit one in place', () => {
    const s = state(0, ['a']);
    expect(Object.isFrozen(s)).to.equal(true);
    expect(Object.isFrozen(s.pending)).to.equal(true);
  });
});

describe('merge: local-push', () => {
  it('appends new events to an empty pending list', () => {
    const events = chain(['a', 'b'], 3);
    const r = advance(step(state(3), local(events)));
    expect(ids(r.state.pending)).to.deep.equal(['a', 'b']);
    expect(r.state.localHead).to.equal(5);
    expect(r.newPending).to.deep.equal(events);
    expect(r.confirmed).to.deep.equal([]);
    expect(r.apply).to.deep.equal([]);
  });

  it('appends on top of events already pending', () => {
    const r = advance(step(state(3, ['a']), local(chain(['b'], 4))));
    expect(ids(r.state.pending)).to.deep.equal(['a', 'b']);
    expect(r.state.upstreamHead).to.equal(3);
  });

  it('treats an empty push as a no-op that keeps the same state', () => {
    const s = state(2, ['a']);
    expect(advance(step(s, local([]))).state).to.equal(s);
  });

  it('rejects events numbered on a head that is behind as stale-parent', () => {
    const s = state(0, ['a', 'b']);
    const r = rejected(step(s, local(chain(['c'], 1))), 'stale-parent', s);
    expect(r.message).to.contain('local head is 2');
  });

  it('rejects events numbered above the local head as stale-parent', () => {
    const s = state(0, ['a']);
    rejected(step(s, local(chain(['c'], 5))), 'stale-parent', s);
  });

  it('rejects a batch with a hole in its numbering as not-contiguous', () => {
    const s = state(0);
    rejected(step(s, local([ev('a', 1), ev('b', 3)])), 'not-contiguous', s);
  });

  it('rejects an event whose seqNum is not its parent + 1 as not-contiguous', () => {
    const s = state(0);
    rejected(step(s, local([ev('a', 1, { parentSeqNum: 1 })])), 'not-contiguous', s);
  });

  it('rejects an event that reuses a pending id', () => {
    const s = state(0, ['a']);
    rejected(step(s, local(chain(['a'], 1))), 'duplicate-id', s);
  });

  it('rejects a batch that repeats an id', () => {
    const s = state(0);
    rejected(step(s, local(chain(['a', 'a'], 0))), 'duplicate-id', s);
  });
});

describe('merge: upstream-advance', () => {
  it('applies foreign events when nothing is pending', () => {
    const r = advance(step(state(2), upstream(chain(['x', 'y'], 2))));
    expect(ids(r.apply)).to.deep.equal(['x', 'y']);
    expect(r.state).to.deep.equal({ upstreamHead: 4, pending: [], localHead: 4 });
  });

  it('confirms all pending events when upstream holds exactly them', () => {
    const r = advance(step(state(2, ['a', 'b']), upstream(chain(['a', 'b'], 2))));
    expect(ids(r.confirmed)).to.deep.equal(['a', 'b']);
    expect(r.apply).to.deep.equal([]);
    expect(r.state).to.deep.equal({ upstreamHead: 4, pending: [], localHead: 4 });
  });

  it('confirms all pending events and applies the foreign events after them without a rebase', () => {
    const r = advance(step(state(0, ['a']), upstream(chain(['a', 'x'], 0))));
    expect(ids(r.confirmed)).to.deep.equal(['a']);
    expect(ids(r.apply)).to.deep.equal(['x']);
    expect(r.state.upstreamHead).to.equal(2);
  });

  it('confirms a prefix of pending and leaves the rest with its numbers', () => {
    const s = state(0, ['a', 'b', 'c']);
    const r = advance(step(s, upstream(chain(['a'], 0))));
    expect(ids(r.confirmed)).to.deep.equal(['a']);
    expect(r.state.upstreamHead).to.equal(1);
    expect(r.state.pending).to.deep.equal(s.pending.slice(1));
  });

  it('reports the upstream version of a confirmed event', () => {
    const fromServer = ev('a', 1, { createdAt: 7 });
    expect(advance(step(state(0, ['a']), upstream([fromServer]))).confirmed[0]).to.equal(fromServer);
  });

  it('rebases pending events behind foreign events: rollback newest first, apply, reapply renumbered', () => {
    const s = state(1, ['a', 'b']);
    const r = rebase(step(s, upstream(chain(['x', 'y'], 1))));
    expect(ids(r.rollback)).to.deep.equal(['b', 'a']);
    expect(ids(r.apply)).to.deep.equal(['x', 'y']);
    expect(ids(r.reapply)).to.deep.equal(['a', 'b']);
    expect(seqs(r.reapply)).to.deep.equal([4, 5]);
    expect(r.reapply.map((e) => e.parentSeqNum)).to.deep.equal([3, 4]);
    expect(r.confirmed).to.deep.equal([]);
    expect(r.state).to.deep.equal({ upstreamHead: 3, pending: r.reapply, localHead: 5 });
  });

  it('keeps everything but the numbers of a rebased event', () => {
    const s = state(0, ['a']);
    const r = rebase(step(s, upstream(chain(['x'], 0))));
    expect(r.reapply[0]).to.deep.equal({ ...s.pending[0], seqNum: 2, parentSeqNum: 1 });
  });

  it('rolls back only the pending events after a confirmed prefix', () => {
    const r = rebase(step(state(0, ['a', 'b', 'c']), upstream(chain(['a', 'x'], 0))));
    expect(ids(r.confirmed)).to.deep.equal(['a']);
    expect(ids(r.rollback)).to.deep.equal(['c', 'b']);
    expect(ids(r.apply)).to.deep.equal(['x']);
    expect(ids(r.reapply)).to.deep.equal(['b', 'c']);
    expect(seqs(r.reapply)).to.deep.equal([3, 4]);
  });

  it('confirms own events found further upstream, interleaved with foreign ones, without re-applying them', () => {
    const r = rebase(step(state(0, ['a', 'b', 'c']), upstream(chain(['a', 'x', 'b'], 0))));
    expect(ids(r.confirmed)).to.deep.equal(['a', 'b']);
    expect(ids(r.rollback)).to.deep.equal(['c', 'b']);
    expect(ids(r.apply)).to.deep.equal(['x', 'b']);
    expect(ids(r.reapply)).to.deep.equal(['c']);
    expect(r.state).to.deep.include({ upstreamHead: 3, localHead: 4 });
  });

  it('ignores a batch it already knows and keeps the same state', () => {
    const s = state(3, ['a']);
    const r = advance(step(s, upstream(chain(['x', 'y'], 1))));
    expect(r.state).to.equal(s);
    expect(r.apply).to.deep.equal([]);
  });

  it('uses only the part of a batch above upstreamHead', () => {
    const r = advance(step(state(2), upstream(chain(['w', 'x', 'y'], 1))));
    expect(ids(r.apply)).to.deep.equal(['x', 'y']);
    expect(r.state.upstreamHead).to.equal(4);
  });

  it('treats an empty batch as a no-op', () => {
    const s = state(2, ['a']);
    expect(advance(step(s, upstream([]))).state).to.equal(s);
  });

  it('is idempotent: merging the same upstream batch again after a rebase changes nothing', () => {
    const input = upstream(chain(['x'], 0));
    const once = rebase(step(state(0, ['a', 'b']), input));
    const twice = advance(step(once.state, input));
    expect(twice.state).to.equal(once.state);
    expect(twice.confirmed).to.deep.equal([]);
  });

  it('is deterministic: the same state and input give deep-equal results', () => {
    const s = state(0, ['a', 'b', 'c']);
    const input = upstream(chain(['a', 'x', 'y'], 0));
    expect(merge(s, input)).to.deep.equal(merge(s, input));
  });

  it('leaves the state it was given untouched', () => {
    const s = state(0, ['a', 'b']);
    const copy = structuredClone(s);
    step(s, upstream(chain(['x'], 0)));
    expect(s).to.deep.equal(copy);
  });

  it('rejects a batch that starts above upstreamHead + 1 as a gap', () => {
    const s = state(2, ['a']);
    const r = rejected(step(s, upstream(chain(['x'], 3))), 'gap', s);
    expect(r.message).to.contain('pull from 2');
  });

  it('rejects a batch with a hole inside as not-contiguous', () => {
    const s = state(0);
    rejected(step(s, upstream([ev('x', 1), ev('y', 3)])), 'not-contiguous', s);
  });

  it('rejects a batch out of order as not-contiguous, even when it is all old', () => {
    const s = state(5);
    rejected(step(s, upstream([ev('x', 2), ev('y', 1)])), 'not-contiguous', s);
  });

  it('rejects a batch that repeats an id', () => {
    const s = state(0);
    rejected(step(s, upstream(chain(['x', 'x'], 0))), 'duplicate-id', s);
  });
});

describe('merge: push-ack', () => {
  const ack = (events: readonly LiveEvent[]): SyncInput => ({ _tag: 'push-ack', events });

  it('confirms the acknowledged pending prefix', () => {
    const s = state(0, ['a', 'b', 'c']);
    const r = advance(step(s, ack(nextPushBatch(s, 2))));
    expect(ids(r.confirmed)).to.deep.equal(['a', 'b']);
    expect(r.state).to.deep.include({ upstreamHead: 2, localHead: 3 });
  });

  it('is a no-op for a batch a pull already confirmed', () => {
    const s = state(0, ['a']);
    const batch = nextPushBatch(s, 4);
    const pulled = advance(step(s, upstream(chain(['a', 'x'], 0)))).state;
    expect(advance(step(pulled, ack(batch))).state).to.equal(pulled);
  });

  it('confirms what is still pending when a pull confirmed the start of the batch', () => {
    const s = state(0, ['a', 'b']);
    const batch = nextPushBatch(s, 4);
    const pulled = advance(step(s, upstream(chain(['a'], 0)))).state;
    expect(ids(advance(step(pulled, ack(batch))).confirmed)).to.deep.equal(['b']);
  });

  it('rejects an ack that names a foreign event as ack-mismatch', () => {
    const s = state(0, ['a']);
    rejected(step(s, ack(chain(['x'], 0))), 'ack-mismatch', s);
  });

  it('rejects an ack of more events than are pending as ack-mismatch', () => {
    const s = state(0, ['a']);
    rejected(step(s, ack(chain(['a', 'b'], 0))), 'ack-mismatch', s);
  });

  it('rejects an ack above upstreamHead + 1 as a gap', () => {
    const s = state(0, ['a', 'b']);
    rejected(step(s, ack(chain(['b'], 1))), 'gap', s);
  });
});

describe('merge: push-rejected', () => {
  const rejectedPush = (head: number, missing: readonly LiveEvent[]): SyncInput => ({ _tag: 'push-rejected', head, missing });

  it('rebases on the missing events the server sent', () => {
    const r = rebase(step(state(0, ['a']), rejectedPush(2, chain(['x', 'y'], 0))));
    expect(ids(r.apply)).to.deep.equal(['x', 'y']);
    expect(seqs(r.reapply)).to.deep.equal([3]);
  });

  it('is a no-op when the missing events are already known', () => {
    const s = state(2, ['a']);
    expect(advance(step(s, rejectedPush(2, chain(['x', 'y'], 0)))).state).to.equal(s);
  });

  it('confirms own events among the missing ones (an ack that was lost)', () => {
    const r = advance(step(state(0, ['a', 'b']), rejectedPush(3, chain(['a', 'b', 'x'], 0))));
    expect(ids(r.confirmed)).to.deep.equal(['a', 'b']);
    expect(ids(r.apply)).to.deep.equal(['x']);
  });

  it('merges what it got and leaves the rest to a pull when the server sent only part of what is missing', () => {
    const r = rebase(step(state(0, ['a']), rejectedPush(5, chain(['x'], 0))));
    expect(r.state.upstreamHead).to.be.lessThan(5);
  });
});

describe('nextPushBatch', () => {
  it('returns the oldest pending events, at most maxBatch, on top of upstreamHead', () => {
    const batch = nextPushBatch(state(3, ['a', 'b', 'c']), 2);
    expect(ids(batch)).to.deep.equal(['a', 'b']);
    expect(batch[0]?.parentSeqNum).to.equal(3);
  });

  it('returns every pending event when there are fewer than maxBatch', () => {
    expect(ids(nextPushBatch(state(0, ['a']), 10))).to.deep.equal(['a']);
  });

  it('returns nothing when nothing is pending', () => {
    expect(nextPushBatch(state(4), 10)).to.deep.equal([]);
  });

  it('refuses a maxBatch below 1 or not an integer', () => {
    expect(() => nextPushBatch(state(0), 0)).to.throw(/maxBatch/);
    expect(() => nextPushBatch(state(0), 1.5)).to.throw(/maxBatch/);
  });
});
