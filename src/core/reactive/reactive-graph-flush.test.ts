import { expect } from 'chai';
import { ReactiveGraph } from './reactive-graph.ts';
import { isLsError, type LsError } from '../errors.ts';

function recorder(options: { maxFlushRounds?: number } = {}) {
  const errors: unknown[] = [];
  const graph = new ReactiveGraph({ ...options, onError: (err) => errors.push(err) });
  return { graph, errors };
}

describe('ReactiveGraph subscriptions and flushing', () => {
  it('calls a new subscriber at once with the current value, then on each change', () => {
    const { graph } = recorder();
    const a = graph.atom('x');
    const seen: string[] = [];
    graph.subscribe(a, (v) => seen.push(v));
    expect(seen).to.deep.equal(['x']);
    graph.set(a, 'y');
    expect(seen).to.deep.equal(['x', 'y']);
  });

  it('stops calling after unsubscribe, and unsubscribing twice is harmless', () => {
    const { graph } = recorder();
    const a = graph.atom(0);
    const seen: number[] = [];
    const off = graph.subscribe(a, (v) => seen.push(v));
    off();
    off();
    graph.set(a, 1);
    expect(seen).to.deep.equal([0]);
  });

  it('does not call a subscriber that an earlier subscriber removed during the same flush', () => {
    const { graph } = recorder();
    const a = graph.atom(0);
    const seen: string[] = [];
    let offSecond = () => {};
    graph.subscribe(a, () => { seen.push('first'); offSecond(); }, { skipInitial: true });
    offSecond = graph.subscribe(a, () => seen.push('second'), { skipInitial: true });
    graph.set(a, 1);
    expect(seen).to.deep.equal(['first']);
  });

  it('calls a subscriber added during a flush once with the current value, not again in that flush', () => {
    const { graph } = recorder();
    const a = graph.atom(0, { label: 'a' });
    const double = graph.thunk((get) => get(a) * 2, { label: 'double' });
    const late: number[] = [];
    graph.subscribe(a, (v) => { if (v === 1) graph.subscribe(double, (d) => late.push(d)); }, { skipInitial: true });
    graph.subscribe(double, () => {});
    graph.set(a, 1);
    expect(late).to.deep.equal([2]);
    graph.set(a, 2);
    expect(late).to.deep.equal([2, 4]);
  });

  it('queues a set made by a subscriber and applies it in the same flush without recursion', () => {
    const { graph } = recorder();
    const a = graph.atom(0, { label: 'a' });
    const b = graph.atom(0, { label: 'b' });
    const sum = graph.thunk((get) => get(a) + get(b), { label: 'sum' });
    let depth = 0;
    let maxDepth = 0;
    graph.subscribe(a, (v) => {
      depth++;
      maxDepth = Math.max(maxDepth, depth);
      graph.set(b, v * 10);
      depth--;
    }, { skipInitial: true });
    const sums: number[] = [];
    graph.subscribe(sum, (v) => sums.push(v), { skipInitial: true });
    graph.set(a, 1);
    expect(maxDepth).to.equal(1);
    expect(graph.get(b)).to.equal(10);
    expect(sums.at(-1)).to.equal(11);
  });

  it('lets subscribers set each other until values settle', () => {
    const { graph, errors } = recorder();
    const a = graph.atom(0, { label: 'a' });
    const b = graph.atom(0, { label: 'b' });
    graph.subscribe(a, (v) => { if (v < 5) graph.set(b, v + 1); }, { skipInitial: true });
    graph.subscribe(b, (v) => { if (v < 5) graph.set(a, v + 1); }, { skipInitial: true });
    graph.set(a, 1);
    expect([graph.get(a), graph.get(b)]).to.deep.equal([5, 4]);
    expect(errors).to.deep.equal([]);
  });

  it('reports LS_REACTIVE_CYCLE when subscribers keep setting each other, and returns', () => {
    const { graph, errors } = recorder({ maxFlushRounds: 100 });
    const ping = graph.atom(0, { label: 'ping' });
    const pong = graph.atom(0, { label: 'pong' });
    graph.subscribe(ping, (v) => graph.set(pong, v + 1), { skipInitial: true });
    graph.subscribe(pong, (v) => graph.set(ping, v + 1), { skipInitial: true });
    graph.set(ping, 1);
    expect(errors).to.have.length(1);
    expect(isLsError(errors[0], 'LS_REACTIVE_CYCLE')).to.equal(true);
    expect((errors[0] as LsError).message).to.match(/100 rounds.*(ping|pong)/);
    expect(Math.max(graph.get(ping), graph.get(pong))).to.be.within(100, 102);
  });

  it('still notifies subscribers after an abandoned flush', () => {
    const { graph } = recorder({ maxFlushRounds: 5 });
    const ping = graph.atom(0, { label: 'ping' });
    const mode = graph.atom('loop', { label: 'mode' });
    const seen: number[] = [];
    graph.subscribe(ping, (v) => { seen.push(v); if (graph.get(mode) === 'loop') graph.set(ping, v + 1); }, { skipInitial: true });
    graph.set(ping, 1);
    graph.set(mode, 'calm');
    seen.length = 0;
    graph.set(ping, 100);
    expect(seen).to.deep.equal([100]);
  });

  it('calls a subscriber of a thunk only when the thunk value changed', () => {
    const { graph } = recorder();
    const a = graph.atom(1, { label: 'a' });
    const rows = graph.thunk((get) => [{ id: 1, big: get(a) > 5 }], { label: 'rows' });
    const seen: unknown[] = [];
    graph.subscribe(rows, (v) => seen.push(v), { skipInitial: true });
    graph.set(a, 2);
    graph.set(a, 3);
    graph.set(a, 6);
    expect(seen).to.deep.equal([[{ id: 1, big: true }]]);
  });
});
