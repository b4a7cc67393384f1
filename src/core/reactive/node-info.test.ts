import { expect } from 'chai';
import { ReactiveGraph } from './reactive-graph.ts';
import { isLsError } from '../errors.ts';

describe('ReactiveGraph devtools view and disposal', () => {
  it('lists every node and describes one without computing it', () => {
    let clock = 0;
    const graph = new ReactiveGraph({ now: () => (clock += 5) });
    const a = graph.atom(1, { label: 'a' });
    const t = graph.thunk((get) => get(a) + 1, { label: 't', tables: () => new Set(['todos']) });
    expect([...graph.nodes()].map((n) => [n.label, n.kind])).to.deep.equal([['a', 'atom'], ['t', 'thunk']]);
    expect(graph.inspect(t).state).to.equal('uncomputed');
    expect(graph.stats.computeCount(t)).to.equal(0);
    const off = graph.subscribe(t, () => {});
    const info = graph.inspect(t);
    expect(info).to.include({ label: 't', kind: 'thunk', state: 'fresh', value: 2, computeCount: 1, subscriberCount: 1, lastDurationMs: 5 });
    expect(info.tables).to.deep.equal(['todos']);
    expect(info.dependencies.map((n) => n.label)).to.deep.equal(['a']);
    expect(graph.inspect(a).dependents.map((n) => n.label)).to.deep.equal(['t']);
    expect(graph.stats.lastComputedAt(t)).to.equal(5);
    off();
    graph.set(a, 5);
    expect(graph.inspect(t)).to.include({ state: 'stale', value: 2, computeCount: 1, subscriberCount: 0 });
  });

  it('shows the error of a failed node', () => {
    const graph = new ReactiveGraph({ onError: () => {} });
    const t = graph.thunk(() => { throw new Error('nope'); }, { label: 't' });
    expect(() => graph.get(t)).to.throw('nope');
    expect((graph.inspect(t).error as Error).message).to.equal('nope');
  });

  it('disposes a node nobody uses, unlinking it from what it read', () => {
    const graph = new ReactiveGraph();
    const a = graph.atom(1, { label: 'a' });
    const t = graph.thunk((get) => get(a), { label: 't' });
    graph.get(t);
    graph.dispose(t);
    expect([...graph.nodes()].map((n) => n.label)).to.deep.equal(['a']);
    expect(graph.inspect(a).dependents).to.deep.equal([]);
    expect(graph.inspect(t).state).to.equal('disposed');
    let caught: unknown;
    try { graph.get(t); } catch (err) { caught = err; }
    expect(isLsError(caught, 'LS_INVALID_ARGUMENT')).to.equal(true);
  });

  it('refuses to dispose a node with subscribers or readers, naming them', () => {
    const graph = new ReactiveGraph();
    const a = graph.atom(1, { label: 'a' });
    const t = graph.thunk((get) => get(a), { label: 'reader' });
    graph.get(t);
    expect(() => graph.dispose(a)).to.throw('read by "reader"');
    const off = graph.subscribe(t, () => {});
    expect(() => graph.dispose(t)).to.throw('1 subscriber');
    off();
    graph.dispose(t);
    graph.dispose(a);
    expect([...graph.nodes()]).to.deep.equal([]);
  });

  it('does not notify a subscriber of a node disposed while its change was queued', () => {
    const graph = new ReactiveGraph();
    const a = graph.atom(0, { label: 'a' });
    const t = graph.thunk((get) => get(a), { label: 't' });
    let offT = () => {};
    const seen: number[] = [];
    graph.subscribe(a, () => { offT(); graph.dispose(t); }, { skipInitial: true });
    offT = graph.subscribe(t, (v) => seen.push(v), { skipInitial: true });
    graph.set(a, 1);
    expect(seen).to.deep.equal([]);
  });
});
