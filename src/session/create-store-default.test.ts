// createStorePromise's defaults in a browser page: with `schemaUrl` it picks the web adapter
// (leader worker on OPFS) and takes its ids from that adapter; without, the in-memory adapter.
import { expect } from 'chai';
import { events, schema, tables } from '../../test/fixtures/todo-schema.ts';
import { createStorePromise } from './create-store.ts';

const schemaUrl = new URL('../../test/fixtures/todo-schema.ts', import.meta.url);
const unique = (label: string): string => `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;

describe('createStorePromise defaults', () => {
  it('uses the web adapter on OPFS when given a schemaUrl, with the ids that adapter keeps', async () => {
    const storeId = unique('default-web');
    const store = await createStorePromise({ schema, storeId, schemaUrl });
    try {
      expect(store.storage.storage).to.equal('opfs');
      expect(store.storage.isLeaderTab).to.equal(true);
      expect(store.clientId).to.equal(localStorage.getItem('ls:clientId'));
      store.commit(events.todoCreated({ id: 't1', text: 'persisted' }));
      await store.flush();
      expect(store.query(tables.todos.count())).to.equal(1);
    } finally {
      await store._dev.hardReset();
    }
  });

  it('keeps one session id per tab and store across stores opened again', async () => {
    const storeId = unique('default-ids');
    const first = await createStorePromise({ schema, storeId, schemaUrl });
    const sessionId = first.sessionId;
    await first.shutdown();
    const second = await createStorePromise({ schema, storeId, schemaUrl });
    try {
      expect(second.sessionId).to.equal(sessionId);
    } finally {
      await second._dev.hardReset();
    }
  });

  it('uses the in-memory adapter without a schemaUrl', async () => {
    const store = await createStorePromise({ schema, storeId: unique('default-memory') });
    expect(store.storage.storage).to.equal('memory');
    await store.shutdown();
  });
});
