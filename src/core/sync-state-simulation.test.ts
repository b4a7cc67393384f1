import { expect } from 'chai';
import { merge } from './sync-state.ts';
import type { MergeResult } from './sync-state.ts';
import { simulateSyncForTesting } from './sync-state-simulation.ts';
import type { SimulationOptions, SimulationReport } from './sync-state-simulation.ts';

// Seeded property test: K clients and one server, random interleavings of commits, pushes, pulls,
// rejections, lost live messages and disconnects. A failure message names the seed; reproduce with
// simulateSyncForTesting({ seed, ...same options }).
const SEEDS = Array.from({ length: 12 }, (_, i) => 0x5eed + i * 7919);

function runAll(options: Omit<SimulationOptions, 'seed'>): SimulationReport[] {
  return SEEDS.map((seed) => simulateSyncForTesting({ seed, ...options }));
}
const total = (reports: SimulationReport[], pick: (r: SimulationReport) => number): number =>
  reports.reduce((sum, r) => sum + pick(r), 0);

describe('sync simulation (seeded property test)', () => {
  it('converges every client on the server log with each committed event exactly once, 3 clients, no hook', () => {
    const reports = runAll({ clients: 3, steps: 3000 });
    // The run must have exercised the hard paths, or passing proves little.
    expect(total(reports, (r) => r.counts.rebase)).to.be.greaterThan(100);
    expect(total(reports, (r) => r.counts.reject.gap)).to.be.greaterThan(0);
    expect(total(reports, (r) => r.counts.pushesRejected)).to.be.greaterThan(0);
    expect(total(reports, (r) => r.serverLog.length)).to.equal(total(reports, (r) => r.counts.committed));
  });

  it('converges with a conflict hook that keeps, drops, replaces and sometimes fails', () => {
    const reports = runAll({ clients: 3, steps: 3000, conflicts: 'mixed' });
    expect(total(reports, (r) => r.counts.dropped)).to.be.greaterThan(0);
    expect(total(reports, (r) => r.counts.replaced)).to.be.greaterThan(0);
    expect(total(reports, (r) => r.counts.hookErrors)).to.be.greaterThan(0);
    expect(total(reports, (r) => r.serverLog.length))
      .to.equal(total(reports, (r) => r.counts.committed - r.counts.dropped));
  });

  it('converges with many clients and small batches', () => {
    const reports = runAll({ clients: 6, steps: 2000, maxBatch: 1, maxPull: 2 });
    expect(total(reports, (r) => r.counts.rebase)).to.be.greaterThan(0);
  });

  it('never rebases a single client without faults', () => {
    const reports = runAll({ clients: 1, steps: 1500, faults: false });
    expect(total(reports, (r) => r.counts.rebase)).to.equal(0);
    expect(total(reports, (r) => r.counts.reject.gap)).to.equal(0);
  });

  it('replays the same run from the same seed', () => {
    const a = simulateSyncForTesting({ seed: 42, conflicts: 'mixed' });
    const b = simulateSyncForTesting({ seed: 42, conflicts: 'mixed' });
    expect(b.serverLog).to.deep.equal(a.serverLog);
    expect(b.counts).to.deep.equal(a.counts);
  });

  it('catches a merge that forgets to renumber re-applied events, naming the seed', () => {
    const buggy: typeof merge = (state, input, options) => {
      const r: MergeResult = merge(state, input, options);
      if (r._tag !== 'rebase') return r;
      const reapply = r.reapply.map((e, i) => state.pending[state.pending.length - r.reapply.length + i] ?? e);
      return { ...r, reapply, state: { ...r.state, pending: reapply } };
    };
    expect(() => simulateSyncForTesting({ seed: 7, merge: buggy })).to.throw(/seed 7, step \d+/);
  });

  it('catches a merge that loses the events the hook dropped', () => {
    const buggy: typeof merge = (state, input, options) => {
      const r = merge(state, input, options);
      return r._tag === 'rebase' ? { ...r, dropped: [] } : r;
    };
    expect(() => simulateSyncForTesting({ seed: 7, conflicts: 'mixed', merge: buggy })).to.throw(/seed 7/);
  });
});
