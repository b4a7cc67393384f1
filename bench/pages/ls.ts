// The ls-elements benchmark page: opens the todo store with the web adapter (OPFS leader worker,
// SharedWorker switchboard) and installs the shared driver. Query: ?store=<id>
import { createStorePromise } from '../../src/index.ts';
import { makePersistedAdapter } from '../../src/session/web-adapter.ts';
import { loadSqlite } from '../../src/sqlite/load-sqlite.ts';
import { install } from './driver.ts';
import { events, schema, tables } from './ls-schema.ts';

const params = new URLSearchParams(location.search);
const storeId = params.get('store') ?? 'bench';
const syncUrl = params.get('sync');

install(async () => {
  const adapter = makePersistedAdapter({ schemaUrl: new URL('./ls-schema.ts', import.meta.url), ...(syncUrl === null ? {} : { sync: { url: syncUrl } }) });
  const store = await createStorePromise({ schema, storeId, adapter });
  const sqlite = await loadSqlite(); // the module the store opened its database in
  return {
    name: 'ls-elements',
    store: store as never,
    events,
    todos: tables.todos as never,
    flush: () => store.flush(),
    wasmBytes: () => sqlite.module.HEAPU8.byteLength,
    shutdown: () => store.shutdown(),
  };
});
