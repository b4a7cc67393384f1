import { expect } from 'chai';
import { ReactiveGraph } from './reactive-graph.ts';

/** A fake live query: reads a "table" held in a plain Map, declares the tables it reads. */
function setup() {
  const graph = new ReactiveGraph();
  const db = new Map<string, string[]>([['todos', ['milk']], ['users', ['ann']], ['tags', []]]);
  const query = (label: string, tables: string[]) => graph.thunk(
    () => tables.flatMap((t) => db.get(t) ?? []),
    { label, tables: () => new Set(tables) },
  );
  return { graph, db, query };
}

describe('ReactiveGraph table invalidation', () => {
  it('re-runs only the queries that read a written table', () => {
    const { graph, db, query } = setup();
    const todos = query('todos', ['todos']);
    const users = query('users', ['users']);
    const seen: string[][] = [];
    graph.subscribe(todos, (v) => seen.push(v));
    graph.subscribe(users, () => {});
    db.set('todos', ['milk', 'eggs']);
    graph.invalidateTables(['todos']);
    expect(seen).to.deep.equal([['milk'], ['milk', 'eggs']]);
    expect(graph.stats.computeCount(todos)).to.equal(2);
    expect(graph.stats.computeCount(users)).to.equal(1);
  });

  it('re-runs a query once per call even when several of its tables were written', () => {
    const { graph, query } = setup();
    const both = query('both', ['todos', 'users']);
    graph.subscribe(both, () => {});
    graph.invalidateTables(['todos', 'users']);
    expect(graph.stats.computeCount(both)).to.equal(2);
  });

  it('refreshes once for a batch of invalidations', () => {
    const { graph, db, query } = setup();
    const both = query('both', ['todos', 'users']);
    const seen: string[][] = [];
    graph.subscribe(both, (v) => seen.push(v), { skipInitial: true });
    graph.batch(() => {
      db.set('todos', []);
      graph.invalidateTables(['todos']);
      db.set('users', ['bob']);
      graph.invalidateTables(['users']);
    });
    expect(graph.stats.computeCount(both)).to.equal(2);
    expect(seen).to.deep.equal([['bob']]);
  });

  it('re-runs the dependents of an invalidated query, but not unrelated thunks', () => {
    const { graph, db, query } = setup();
    const todos = query('todos', ['todos']);
    const users = query('users', ['users']);
    const count = graph.thunk((get) => get(todos).length, { label: 'count' });
    const userCount = graph.thunk((get) => get(users).length, { label: 'userCount' });
    const seen: number[] = [];
    graph.subscribe(count, (v) => seen.push(v));
    graph.subscribe(userCount, () => {});
    db.set('todos', ['a', 'b', 'c']);
    graph.invalidateTables(['todos']);
    expect(seen).to.deep.equal([1, 3]);
    expect(graph.stats.computeCount(userCount)).to.equal(1);
  });

  it('does not notify when the re-run query returns equal rows', () => {
    const { graph, query } = setup();
    const todos = query('todos', ['todos']);
    let heard = 0;
    graph.subscribe(todos, () => heard++, { skipInitial: true });
    graph.invalidateTables(['todos']);
    expect(graph.stats.computeCount(todos)).to.equal(2);
    expect(heard).to.equal(0);
  });

  it('keeps an unobserved query lazy: marked on invalidation, run on the next read', () => {
    const { graph, db, query } = setup();
    const todos = query('todos', ['todos']);
    graph.get(todos);
    db.set('todos', ['x']);
    graph.invalidateTables(['todos']);
    graph.invalidateTables(['todos']);
    expect(graph.stats.computeCount(todos)).to.equal(1);
    expect(graph.get(todos)).to.deep.equal(['x']);
    expect(graph.stats.computeCount(todos)).to.equal(2);
  });

  it('asks the query for its tables at invalidation time, as they are known only after it ran', () => {
    const graph = new ReactiveGraph();
    let tables = new Set<string>();
    let runs = 0;
    const q = graph.thunk(() => { runs++; tables = new Set(['todos']); return runs; }, { label: 'q', tables: () => tables });
    graph.subscribe(q, () => {});
    graph.invalidateTables(['todos']);
    expect(runs).to.equal(2);
  });

  it('re-runs a query whose tables() throws, and reports the failure', () => {
    const errors: unknown[] = [];
    const graph = new ReactiveGraph({ onError: (err) => errors.push(err) });
    const q = graph.thunk(() => 1, { label: 'q', tables: () => { throw new Error('no plan'); } });
    graph.subscribe(q, () => {});
    graph.invalidateTables(['todos']);
    expect(graph.stats.computeCount(q)).to.equal(2);
    expect(errors.map((e) => (e as Error).message)).to.deep.equal(['no plan']);
  });

  it('does nothing for an empty list of tables', () => {
    const { graph, query } = setup();
    const todos = query('todos', ['todos']);
    graph.subscribe(todos, () => {});
    graph.invalidateTables([]);
    expect(graph.stats.computeCount(todos)).to.equal(1);
  });
});
