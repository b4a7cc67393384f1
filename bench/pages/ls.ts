// The ls-elements benchmark page: opens the todo store with the web adapter (OPFS leader worker,
// SharedWorker switchboard) and installs the shared driver. Query: ?store=<id>
import { createStorePromise } from '../../src/index.ts';
import { makePersistedAdapter } from '../../src/session/web-adapter.ts';
import { install } from './driver.ts';
import { events, schema, tables } from './ls-schema.ts';

const storeId = new URLSearchParams(location.search).get('store') ?? 'bench';

install(async () => {
  const adapter = makePersistedAdapter({ schemaUrl: new URL('./ls-schema.ts', import.meta.url) });
  const store = await createStorePromise({ schema, storeId, adapter });
  return {
    name: 'ls-elements',
    store: store as never,
    events,
    todos: tables.todos as never,
    flush: () => store.flush(),
    shutdown: () => store.shutdown(),
  };
});
