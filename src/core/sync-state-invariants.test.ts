import { expect } from 'chai';
import type { LiveEvent } from './live-event.ts';
import { merge } from './sync-state.ts';
import type { MergeResult, SyncInput, SyncState } from './sync-state.ts';
import { checkInvariants, checkMergeResult } from './sync-state-invariants.ts';
import { chainForTesting as chain, eventForTesting as ev, stateForTesting as state } from './sync-state-fixtures.ts';

// Hand-built broken states and results: the checks must name what is wrong, or the property
// tests that rely on them prove nothing.
const raw = (upstreamHead: number, pending: LiveEvent[], localHead = upstreamHead + pending.length): SyncState =>
  ({ upstreamHead, pending, localHead });

describe('checkInvariants', () => {
  it('finds nothing wrong with a state built by createSyncState', () => {
    expect(checkInvariants(state(3, ['a', 'b']))).to.deep.equal([]);
  });

  it('reports pending events that do not start at upstreamHead + 1 (I1)', () => {
    expect(checkInvariants(raw(3, chain(['a'], 4))).join()).to.contain('I1');
  });

  it('reports a localHead that is not upstreamHead + pending (I2)', () => {
    expect(checkInvariants(raw(3, chain(['a'], 3), 3)).join()).to.contain('I2');
  });

  it('reports a pending id that appears twice (I3)', () => {
    expect(checkInvariants(raw(0, [ev('a', 1), ev('a', 2)])).join()).to.contain('I3');
  });
});

describe('checkMergeResult', () => {
  const s = state(0, ['a', 'b']);
  const input: SyncInput = { _tag: 'upstream-advance', events: chain(['x'], 0) };
  const good = merge(s, input);

  it('finds nothing wrong with what merge returns', () => {
    expect(checkMergeResult(s, input, good)).to.deep.equal([]);
  });

  it('reports a reject that changed the state', () => {
    const bad: MergeResult = { _tag: 'reject', state: state(0), reason: 'gap', message: '' };
    expect(checkMergeResult(s, input, bad).join()).to.contain('I7');
  });

  it('reports a pending event that vanished without being confirmed or dropped (I7)', () => {
    if (good._tag !== 'rebase') throw new Error('expected a rebase');
    const lost = raw(1, good.reapply.slice(0, 1));
    const bad: MergeResult = { ...good, state: lost, reapply: lost.pending };
    expect(checkMergeResult(s, input, bad).join()).to.contain('event b ends up 0 times');
  });

  it('reports a rollback that is not newest first', () => {
    if (good._tag !== 'rebase') throw new Error('expected a rebase');
    const bad: MergeResult = { ...good, rollback: good.rollback.slice().reverse() };
    expect(checkMergeResult(s, input, bad).join()).to.contain('rollback');
  });

  it('reports an upstreamHead that went back (I6)', () => {
    const t = state(5);
    const bad: MergeResult = { _tag: 'advance', state: state(4), confirmed: [], apply: [], newPending: [] };
    expect(checkMergeResult(t, input, bad).join()).to.contain('I6');
  });
});
