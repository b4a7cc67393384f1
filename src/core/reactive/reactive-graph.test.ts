import { expect } from 'chai';
import { ReactiveGraph } from './reactive-graph.ts';
import { isLsError } from '../errors.ts';

function diamond(graph: ReactiveGraph) {
  const a = graph.atom(1, { label: 'a' });
  const b = graph.thunk((get) => get(a) * 2, { label: 'b' });
  const c = graph.thunk((get) => get(a) + 10, { label: 'c' });
  const d = graph.thunk((get) => ({ b: get(b), c: get(c) }), { label: 'd' });
  return { a, b, c, d };
}

describe('ReactiveGraph basics', () => {
  it('reads atoms and thunks, and set accepts a value or an updater', () => {
    const graph = new ReactiveGraph();
    const a = graph.atom(2, { label: 'a' });
    const double = graph.thunk((get) => get(a) * 2, { label: 'double' });
    expect(graph.get(double)).to.equal(4);
    graph.set(a, 5);
    expect(graph.get(double)).to.equal(10);
    graph.set(a, (prev) => prev + 1);
    expect(graph.get(a)).to.equal(6);
    expect(graph.get(double)).to.equal(12);
  });

  it('recomputes the bottom of a diamond once per set and shows its subscriber only consistent values, once', () => {
    const graph = new ReactiveGraph();
    const { a, d } = diamond(graph);
    const seen: unknown[] = [];
    graph.subscribe(d, (v) => seen.push(v));
    expect(graph.stats.computeCount(d)).to.equal(1);
    graph.set(a, 2);
    expect(graph.stats.computeCount(d)).to.equal(2);
    expect(seen).to.deep.equal([{ b: 2, c: 11 }, { b: 4, c: 12 }]);
  });

  it('does not run an unobserved thunk on set, only when it is read', () => {
    const graph = new ReactiveGraph();
    const { a, b, d } = diamond(graph);
    expect(graph.get(d)).to.deep.equal({ b: 2, c: 11 });
    graph.set(a, 2);
    graph.set(a, 3);
    expect(graph.stats.computeCount(b)).to.equal(1);
    expect(graph.stats.computeCount(d)).to.equal(1);
    expect(graph.get(d)).to.deep.equal({ b: 6, c: 13 });
    expect(graph.stats.computeCount(b)).to.equal(2);
    expect(graph.stats.computeCount(d)).to.equal(2);
  });

  it('does not recompute a thunk that is read again without changes', () => {
    const graph = new ReactiveGraph();
    const { d } = diamond(graph);
    graph.get(d);
    graph.get(d);
    expect(graph.stats.computeCount(d)).to.equal(1);
  });

  it('ignores a set to an equal value by the atom equal (Object.is by default)', () => {
    const graph = new ReactiveGraph();
    const a = graph.atom({ n: 1 }, { label: 'a', equal: (x, y) => x.n === y.n });
    const calls: number[] = [];
    graph.subscribe(a, (v) => calls.push(v.n), { skipInitial: true });
    graph.set(a, { n: 1 });
    expect(calls).to.deep.equal([]);
    graph.set(a, { n: 2 });
    expect(calls).to.deep.equal([2]);
    const b = graph.atom<unknown>(Number.NaN);
    let heard = 0;
    graph.subscribe(b, () => heard++, { skipInitial: true });
    graph.set(b, Number.NaN);
    expect(heard).to.equal(0);
  });

  it('stops at a thunk whose recomputed value is deeply equal: its dependents do not run', () => {
    const graph = new ReactiveGraph();
    const n = graph.atom(1, { label: 'n' });
    const parity = graph.thunk((get) => ({ odd: get(n) % 2 === 1 }), { label: 'parity' });
    const text = graph.thunk((get) => (get(parity).odd ? 'odd' : 'even'), { label: 'text' });
    const seen: string[] = [];
    graph.subscribe(text, (v) => seen.push(v));
    graph.set(n, 3);
    expect(graph.stats.computeCount(parity)).to.equal(2);
    expect(graph.stats.computeCount(text)).to.equal(1);
    graph.set(n, 4);
    expect(seen).to.deep.equal(['odd', 'even']);
  });

  it('drops dependencies a thunk no longer reads', () => {
    const graph = new ReactiveGraph();
    const useA = graph.atom(true, { label: 'useA' });
    const a = graph.atom('a1', { label: 'a' });
    const b = graph.atom('b1', { label: 'b' });
    const pick = graph.thunk((get) => (get(useA) ? get(a) : get(b)), { label: 'pick' });
    const seen: string[] = [];
    graph.subscribe(pick, (v) => seen.push(v));
    graph.set(useA, false);
    graph.set(a, 'a2');
    expect(graph.stats.computeCount(pick)).to.equal(2);
    graph.set(b, 'b2');
    expect(seen).to.deep.equal(['a1', 'b1', 'b2']);
    expect(graph.inspect(pick).dependencies.map((n) => n.label)).to.deep.equal(['useA', 'b']);
  });

  it('runs subscribers once at the end of the outermost batch', () => {
    const graph = new ReactiveGraph();
    const { a, d } = diamond(graph);
    const seen: unknown[] = [];
    graph.subscribe(d, (v) => seen.push(v), { skipInitial: true });
    const result = graph.batch(() => {
      graph.set(a, 2);
      graph.batch(() => graph.set(a, 3));
      expect(seen).to.deep.equal([]);
      graph.set(a, 4);
      return 'done';
    });
    expect(result).to.equal('done');
    expect(seen).to.deep.equal([{ b: 8, c: 14 }]);
    expect(graph.stats.computeCount(d)).to.equal(2);
  });

  it('flushes a batch whose function throws, and rethrows', () => {
    const graph = new ReactiveGraph();
    const a = graph.atom(0);
    const seen: number[] = [];
    graph.subscribe(a, (v) => seen.push(v), { skipInitial: true });
    expect(() => graph.batch(() => { graph.set(a, 1); throw new Error('boom'); })).to.throw('boom');
    expect(seen).to.deep.equal([1]);
  });

  it('reads the latest values inside a batch', () => {
    const graph = new ReactiveGraph();
    const { a, d } = diamond(graph);
    graph.batch(() => {
      graph.set(a, 5);
      expect(graph.get(d)).to.deep.equal({ b: 10, c: 15 });
    });
  });

  it('recomputes each node of a long chain exactly once per set', () => {
    const graph = new ReactiveGraph();
    const a = graph.atom(0, { label: 'a' });
    const chain = [graph.thunk((get) => get(a) + 1, { label: 't0' })];
    for (let i = 1; i < 500; i++) {
      const prev = chain[i - 1]!;
      chain.push(graph.thunk((get) => get(prev) + 1, { label: `t${i}` }));
    }
    const last = chain[chain.length - 1]!;
    const seen: number[] = [];
    graph.subscribe(last, (v) => seen.push(v));
    graph.set(a, 10);
    expect(seen).to.deep.equal([500, 510]);
    expect(chain.every((t) => graph.stats.computeCount(t) === 2)).to.equal(true);
  });

  it('refuses to set a thunk', () => {
    const graph = new ReactiveGraph();
    const t = graph.thunk(() => 1, { label: 'one' });
    expect(() => graph.set(t, 2)).to.throw('"one" is computed');
  });

  it('refuses nodes from another graph', () => {
    const a = new ReactiveGraph().atom(1);
    let caught: unknown;
    try { new ReactiveGraph().get(a); } catch (err) { caught = err; }
    expect(isLsError(caught, 'LS_INVALID_ARGUMENT')).to.equal(true);
  });
});
