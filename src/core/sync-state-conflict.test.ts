import { expect } from 'chai';
import { isLsError } from './errors.ts';
import { merge, replacementId } from './sync-state.ts';
import type { Conflict, ConflictDecision, MergeResult, OnConflict, SyncInput, SyncRebase, SyncState } from './sync-state.ts';
import { checkMergeResult } from './sync-state-invariants.ts';
import { chainForTesting as chain, idsForTesting as ids, seqNumsForTesting as seqs, stateForTesting as state } from './sync-state-fixtures.ts';

function step(s: SyncState, input: SyncInput, onConflict: OnConflict): MergeResult {
  const result = merge(s, input, { onConflict });
  expect(checkMergeResult(s, input, result)).to.deep.equal([]);
  return result;
}
function rebaseWith(onConflict: OnConflict, pendingIds = ['a', 'b', 'c'], upstreamIds = ['x']): SyncRebase {
  const r = step(state(0, pendingIds), { _tag: 'upstream-advance', events: chain(upstreamIds, 0) }, onConflict);
  expect(r._tag).to.equal('rebase');
  return r as SyncRebase;
}
const answer = (...decisions: ConflictDecision[]): OnConflict => () => decisions;
const keep: ConflictDecision = { keep: true };
const drop: ConflictDecision = { drop: true };

describe('merge: conflict hook', () => {
  it('is not asked when upstream only confirms and appends', () => {
    let asked = 0;
    const r = step(state(0, ['a']), { _tag: 'upstream-advance', events: chain(['a', 'x'], 0) }, () => { asked++; return []; });
    expect(r._tag).to.equal('advance');
    expect(asked).to.equal(0);
  });

  it('is shown the foreign upstream events and the pending events to re-apply, not the confirmed ones', () => {
    let seen: Conflict | undefined;
    const r = step(state(0, ['a', 'b', 'c']), { _tag: 'upstream-advance', events: chain(['a', 'x', 'c'], 0) },
      (c) => { seen = c; return c.pending.map(() => keep); });
    expect(r._tag).to.equal('rebase');
    expect(ids(seen?.upstream ?? [])).to.deep.equal(['x']);
    expect(ids(seen?.pending ?? [])).to.deep.equal(['b']);
  });

  it('re-applies everything when the hook keeps all, as without a hook', () => {
    const r = rebaseWith(answer(keep, keep, keep));
    const plain = merge(state(0, ['a', 'b', 'c']), { _tag: 'upstream-advance', events: chain(['x'], 0) });
    expect(r).to.deep.equal(plain);
  });

  it('undoes a dropped event for good, reports it and closes the numbering over it', () => {
    const r = rebaseWith(answer(keep, drop, keep));
    expect(ids(r.dropped)).to.deep.equal(['b']);
    expect(ids(r.rollback)).to.deep.equal(['c', 'b', 'a']);
    expect(ids(r.reapply)).to.deep.equal(['a', 'c']);
    expect(seqs(r.reapply)).to.deep.equal([2, 3]);
    expect(r.state.localHead).to.equal(3);
  });

  it('re-applies a replacement under a new derived id with the new name and args', () => {
    const s = state(0, ['a']);
    const r = step(s, { _tag: 'upstream-advance', events: chain(['x'], 0) }, answer({ replace: { name: 'merged', args: { v: 2 } } })) as SyncRebase;
    const original = s.pending[0];
    expect(r.reapply).to.deep.equal([{ ...original, id: 'a~r1', name: 'merged', args: { v: 2 }, seqNum: 2, parentSeqNum: 1 }]);
    expect(r.replaced).to.deep.equal([{ original, replacement: r.reapply[0] }]);
    expect(r.dropped).to.deep.equal([]);
  });

  it('applies keep, drop and replace decisions together, in pending order', () => {
    const r = rebaseWith(answer(drop, { replace: { name: 'n', args: null } }, keep));
    expect(ids(r.reapply)).to.deep.equal(['b~r1', 'c']);
    expect(ids(r.dropped)).to.deep.equal(['a']);
    expect(r.hookError).to.equal(undefined);
  });

  it('keeps every pending event and reports hookError when the hook throws', () => {
    const r = rebaseWith(() => { throw new Error('boom'); });
    expect(ids(r.reapply)).to.deep.equal(['a', 'b', 'c']);
    expect(isLsError(r.hookError, 'LS_INVALID_ARGUMENT')).to.equal(true);
    expect(r.hookError?.message).to.contain('boom');
    expect((r.hookError?.cause as Error).message).to.equal('boom');
  });

  it('keeps every pending event and reports hookError when the hook answers the wrong number of decisions', () => {
    const r = rebaseWith(answer(drop, drop));
    expect(ids(r.reapply)).to.deep.equal(['a', 'b', 'c']);
    expect(r.dropped).to.deep.equal([]);
    expect(r.hookError?.message).to.contain('2 decisions for 3 pending events');
  });

  it('keeps every pending event and reports hookError when a decision is malformed', () => {
    const r = rebaseWith(() => [keep, { drop: 'yes' }, keep] as unknown as ConflictDecision[]);
    expect(ids(r.reapply)).to.deep.equal(['a', 'b', 'c']);
    expect(r.hookError?.message).to.contain('decision 1');
  });

  it('keeps every pending event and reports hookError when the hook answers something other than an array', () => {
    const r = rebaseWith(() => 'keep' as unknown as ConflictDecision[]);
    expect(ids(r.reapply)).to.deep.equal(['a', 'b', 'c']);
    expect(r.hookError).to.not.equal(undefined);
  });

  it('keeps every pending event when a replacement id is already taken by a pending event', () => {
    const r = rebaseWith(answer({ replace: { name: 'n', args: 1 } }, keep), ['a', 'a~r1']);
    expect(ids(r.reapply)).to.deep.equal(['a', 'a~r1']);
    expect(r.hookError?.message).to.contain('a~r1');
  });

  it('cannot change the state by mutating what it is shown', () => {
    const r = rebaseWith((c) => {
      (c.pending as unknown[]).length = 0;
      return [keep, keep, keep];
    });
    expect(ids(r.reapply)).to.deep.equal(['a', 'b', 'c']);
  });
});

describe('replacementId', () => {
  it('derives the first replacement of an id by appending ~r1', () => {
    expect(replacementId('abc')).to.equal('abc~r1');
  });

  it('counts up when a replacement is replaced again', () => {
    expect(replacementId('abc~r1')).to.equal('abc~r2');
    expect(replacementId('abc~r9')).to.equal('abc~r10');
  });
});
