import { expect } from 'chai';
import { computed, isComputedDef, isLiveDef, isSignalDef, signal, type LiveDef } from './definitions.ts';
import { ReactiveGraph } from './reactive-graph.ts';
import type { ReactiveNode } from './reactive-node.ts';
import { isLsError } from '../errors.ts';

/** What a store does with definitions: one node per definition and graph, made on first use. */
function bind(graph: ReactiveGraph) {
  const nodes = new Map<LiveDef<unknown>, ReactiveNode<unknown>>();
  const nodeOf = <T>(def: LiveDef<T>): ReactiveNode<T> => {
    let node = nodes.get(def);
    if (node === undefined) {
      if (isSignalDef(def)) node = graph.atom(def.initial, { label: def.label });
      else if (isComputedDef(def)) node = graph.thunk((get) => def.fn((d) => get(nodeOf(d))), { label: def.label });
      else throw new Error(`no nodes for ${def._tag} in this test`);
      nodes.set(def, node);
    }
    return node as ReactiveNode<T>;
  };
  return nodeOf;
}

describe('signal and computed definitions', () => {
  it('makes frozen signal definitions with a label and an initial value', () => {
    const count = signal(0, { label: 'count' });
    expect(count).to.deep.include({ _tag: 'signal', label: 'count', initial: 0 });
    expect(Object.isFrozen(count)).to.equal(true);
    expect(isSignalDef(count)).to.equal(true);
    expect(isComputedDef(count)).to.equal(false);
  });

  it('gives unlabelled definitions distinct default labels, showing deps', () => {
    const a = signal(1);
    const b = signal(1);
    expect(a.label).to.not.equal(b.label);
    const c = computed(() => 1, { deps: ['todo', 3] });
    expect(c.label).to.match(/^computed#\d+\(\["todo",3\]\)$/);
    expect(c.deps).to.deep.equal(['todo', 3]);
  });

  it('recognises live definitions by their tag', () => {
    expect(isLiveDef(computed(() => 1))).to.equal(true);
    expect(isLiveDef({ _tag: 'query', label: 'q' })).to.equal(true);
    expect(isLiveDef({ _tag: 'other', label: 'q' })).to.equal(false);
    expect(isLiveDef(null)).to.equal(false);
  });

  it('refuses a computed without a function', () => {
    let caught: unknown;
    try { computed(42 as unknown as () => number); } catch (err) { caught = err; }
    expect(isLsError(caught, 'LS_INVALID_ARGUMENT')).to.equal(true);
  });

  it('instantiates one definition independently in two graphs', () => {
    const count = signal(1, { label: 'count' });
    const double = computed((get) => get(count) * 2, { label: 'double' });
    const g1 = new ReactiveGraph();
    const g2 = new ReactiveGraph();
    const n1 = bind(g1);
    const n2 = bind(g2);
    g1.set(n1(count), 5);
    expect(g1.get(n1(double))).to.equal(10);
    expect(g2.get(n2(double))).to.equal(2);
    expect(n1(double)).to.equal(n1(double));
  });

  it('types get inside computed from the definition it reads', () => {
    const name = signal('ann', { label: 'name' });
    const len = computed((get) => {
      const value: string = get(name);
      // @ts-expect-error a string signal does not read as a number
      const wrong: number = get(name);
      return value.length + (wrong ? 0 : 0);
    });
    const check: LiveDef<number> = len;
    // @ts-expect-error a number computed is not a LiveDef<string>
    const bad: LiveDef<string> = len;
    expect([check, bad]).to.have.length(2);
  });
});
