// Commit cost must not grow with the number of rows or events: counted in SQLite statements, not time.
import { expect } from 'chai';
import { createStorePromise, queryDb } from '../index.ts';
import { events, schema, tables } from '../../test/fixtures/todo-schema.ts';

let n = 0;

async function statementsForOneCommit(existing: number): Promise<{ session: number; prepares: number }> {
  const store = await createStorePromise({ schema, storeId: `commit-cost-${++n}` });
  const batch = 100;
  for (let i = 0; i < existing; i += batch) {
    const group = [];
    for (let j = i; j < Math.min(existing, i + batch); j++) group.push(events.todoCreated({ id: `t${j}`, text: `todo ${j}` }));
    store.commit(...group);
  }
  // a live query on another table, and one on this table, as an app would have
  store.subscribe(queryDb(tables.uiState.get()), () => {});
  store.subscribe(queryDb(tables.todos.count().where({ completed: false })), () => {});
  await store.flush();
  // warm the statement cache with the same kind of event
  store.commit(events.todoCreated({ id: 'warm', text: 'warm up the statement cache' }), events.todoCompleted({ id: 'warm' }));
  await store.flush();
  const before = store._dev.sqliteStats();
  store.commit(events.todoCompleted({ id: 't0' }));
  const after = store._dev.sqliteStats();
  await store.shutdown();
  return { session: after.statementsRun - before.statementsRun, prepares: after.prepares - before.prepares };
}

describe('commit cost', () => {
  it('runs the same number of statements for a commit with 10 or 2,000 rows in the table', async () => {
    const small = await statementsForOneCommit(10);
    const large = await statementsForOneCommit(2000);
    expect(small.session).to.be.greaterThan(0);
    expect(large.session).to.equal(small.session);
    expect(large.prepares).to.equal(0);
    expect(small.prepares).to.equal(0);
  });
});
