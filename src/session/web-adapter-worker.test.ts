// makePersistedAdapter({ worker }): the app's own worker file with makeWorker({ schema }), the
// path for bundled production builds (no schema module fetched by URL).
import { expect } from 'chai';
import { events, schema, tables } from '../../test/fixtures/todo-schema.ts';
import { Events, makeSchema, Schema, State } from '../index.ts';
import { createStorePromise } from './create-store.ts';
import { makePersistedAdapter } from './web-adapter.ts';

class TodoWorker extends Worker {
  constructor(options: { name?: string } = {}) {
    super(new URL('../../test/fixtures/todo.worker.ts', import.meta.url), { type: 'module', ...options });
  }
}
const unique = (label: string): string => `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;

describe('makePersistedAdapter({ worker })', () => {
  it('runs the leader in the app\'s worker with its bundled schema, on OPFS', async () => {
    const store = await createStorePromise({ schema, storeId: unique('own-worker'), adapter: makePersistedAdapter({ worker: TodoWorker }) });
    try {
      expect(store.storage.storage).to.equal('opfs');
      store.commit(events.todoCreated({ id: 'w1', text: 'from my worker' }));
      await store.flush();
      expect(store.query(tables.todos.count())).to.equal(1);
      expect((await store._dev.eventlog()).map((e) => e.id)).to.have.length(1);
    } finally {
      await store._dev.hardReset();
    }
  });

  it('refuses to start when the worker\'s schema is not the page\'s, with LS_INVALID_SCHEMA', async () => {
    const t = State.SQLite.table({ name: 't', columns: { id: State.SQLite.text({ primaryKey: true }) } });
    const x = Events.synced({ name: 'x', schema: Schema.Struct({ id: Schema.String }) });
    const other = makeSchema({ events: { x }, state: State.SQLite.makeState({ tables: { t }, materializers: State.SQLite.materializers({ x }, { x: ({ id }) => t.insert({ id }) }) }) });
    const err = await createStorePromise({ schema: other, storeId: unique('wrong-worker'), adapter: makePersistedAdapter({ worker: TodoWorker }) }).catch((e: unknown) => e);
    expect(err).to.have.property('code', 'LS_INVALID_SCHEMA');
  });
});
