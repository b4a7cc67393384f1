import { expect } from 'chai';
import { ReactiveGraph } from './reactive-graph.ts';
import type { ReactiveNode } from './reactive-node.ts';
import { LsError, isLsError } from '../errors.ts';

function recorder() {
  const errors: Array<{ err: unknown; label: string }> = [];
  const graph = new ReactiveGraph({ onError: (err, node) => errors.push({ err, label: node.label }) });
  return { graph, errors };
}

function thrown(fn: () => unknown): unknown {
  try { fn(); } catch (err) { return err; }
  throw new Error('expected a throw');
}

describe('ReactiveGraph errors', () => {
  it('rethrows a failing compute from get, to its readers too', () => {
    const { graph } = recorder();
    const a = graph.atom(0, { label: 'a' });
    const bad = graph.thunk((get) => { if (get(a) === 0) throw new Error('zero'); return get(a); }, { label: 'bad' });
    const reader = graph.thunk((get) => get(bad) + 1, { label: 'reader' });
    expect(() => graph.get(bad)).to.throw('zero');
    expect(() => graph.get(reader)).to.throw('zero');
  });

  it('recovers when a later recompute succeeds', () => {
    const { graph } = recorder();
    const a = graph.atom(0, { label: 'a' });
    const bad = graph.thunk((get) => { if (get(a) === 0) throw new Error('zero'); return get(a); }, { label: 'bad' });
    expect(() => graph.get(bad)).to.throw('zero');
    graph.set(a, 2);
    expect(graph.get(bad)).to.equal(2);
  });

  it('reports a failing compute in a flush to onError and still notifies the other subscribers', () => {
    const { graph, errors } = recorder();
    const a = graph.atom(1, { label: 'a' });
    const bad = graph.thunk((get) => { if (get(a) === 2) throw new Error('two'); return get(a); }, { label: 'bad' });
    const good = graph.thunk((get) => get(a) * 10, { label: 'good' });
    const seenBad: number[] = [];
    const seenGood: number[] = [];
    graph.subscribe(bad, (v) => seenBad.push(v));
    graph.subscribe(bad, (v) => seenBad.push(v));
    graph.subscribe(good, (v) => seenGood.push(v));
    graph.set(a, 2);
    expect(errors.map((e) => [e.label, (e.err as Error).message])).to.deep.equal([['bad', 'two']]);
    expect(seenGood).to.deep.equal([10, 20]);
    graph.set(a, 3);
    expect(seenBad).to.deep.equal([1, 1, 3, 3]);
  });

  it('calls a subscriber again when its node recovers to the value it had before failing', () => {
    const { graph } = recorder();
    const a = graph.atom(1, { label: 'a' });
    const t = graph.thunk((get) => { if (get(a) === 2) throw new Error('two'); return 'ok'; }, { label: 't' });
    const seen: string[] = [];
    const failures: unknown[] = [];
    graph.subscribe(t, (v) => seen.push(v), { onError: (err) => failures.push(err) });
    graph.set(a, 2);
    graph.set(a, 3);
    expect(failures).to.have.length(1);
    expect(seen).to.deep.equal(['ok', 'ok']);
  });

  it('reports a throwing subscriber callback and keeps calling the others', () => {
    const { graph, errors } = recorder();
    const a = graph.atom(0, { label: 'a' });
    const seen: number[] = [];
    graph.subscribe(a, (v) => { if (v > 0) throw new Error('cb'); }, { skipInitial: true });
    graph.subscribe(a, (v) => seen.push(v), { skipInitial: true });
    graph.set(a, 1);
    expect(seen).to.deep.equal([1]);
    expect(errors.map((e) => (e.err as Error).message)).to.deep.equal(['cb']);
    graph.set(a, 2);
    expect(seen).to.deep.equal([1, 2]);
  });

  it('reports a compute that fails on subscribe and delivers its first good value later', () => {
    const { graph, errors } = recorder();
    const a = graph.atom(0, { label: 'a' });
    const t = graph.thunk((get) => { if (get(a) === 0) throw new Error('not yet'); return get(a); }, { label: 't' });
    const seen: number[] = [];
    graph.subscribe(t, (v) => seen.push(v));
    expect(errors).to.have.length(1);
    graph.set(a, 5);
    expect(seen).to.deep.equal([5]);
  });

  it('fails thunks that read each other with LS_REACTIVE_CYCLE naming the loop', () => {
    const { graph } = recorder();
    const holder: { b?: ReactiveNode<number> } = {};
    const a = graph.thunk((get) => (holder.b ? get(holder.b) : 0) + 1, { label: 'alpha' });
    holder.b = graph.thunk((get) => get(a) + 1, { label: 'beta' });
    const err = thrown(() => graph.get(a));
    expect(isLsError(err, 'LS_REACTIVE_CYCLE')).to.equal(true);
    expect((err as LsError).message).to.contain('alpha → beta → alpha');
    expect(isLsError(thrown(() => graph.get(holder.b as ReactiveNode<number>)), 'LS_REACTIVE_CYCLE')).to.equal(true);
  });

  it('fails a thunk that reads itself', () => {
    const { graph } = recorder();
    const self: { t?: ReactiveNode<number> } = {};
    self.t = graph.thunk((get) => (self.t ? get(self.t) : 0), { label: 'selfish' });
    const err = thrown(() => graph.get(self.t as ReactiveNode<number>));
    expect((err as LsError).code).to.equal('LS_REACTIVE_CYCLE');
    expect((err as LsError).message).to.contain('selfish → selfish');
  });

  it('recovers from a cycle once the loop is broken', () => {
    const { graph } = recorder();
    const loop = graph.atom(true, { label: 'loop' });
    const holder: { b?: ReactiveNode<number> } = {};
    const a = graph.thunk((get) => (get(loop) && holder.b ? get(holder.b) : 0) + 1, { label: 'a' });
    holder.b = graph.thunk((get) => get(a) + 1, { label: 'b' });
    const seen: number[] = [];
    graph.subscribe(holder.b, (v) => seen.push(v));
    graph.set(loop, false);
    expect(graph.get(a)).to.equal(1);
    expect(seen).to.deep.equal([2]);
  });

  it('refuses a set from inside a compute', () => {
    const { graph } = recorder();
    const a = graph.atom(0, { label: 'a' });
    const writer = graph.thunk(() => { graph.set(a, 1); return 0; }, { label: 'writer' });
    const err = thrown(() => graph.get(writer));
    expect(isLsError(err, 'LS_INVALID_ARGUMENT')).to.equal(true);
    expect((err as Error).message).to.contain('"writer" was computing');
  });

  it('refuses a get that a compute kept and called after returning', () => {
    const { graph } = recorder();
    const a = graph.atom(0, { label: 'a' });
    let kept: (<U>(node: ReactiveNode<U>) => U) | undefined;
    const t = graph.thunk((get) => { kept = get; return 1; }, { label: 't' });
    graph.get(t);
    expect(isLsError(thrown(() => kept?.(a)), 'LS_INVALID_ARGUMENT')).to.equal(true);
  });
});
