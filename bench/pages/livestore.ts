/// <reference types="vite/client" />
// The LiveStore 0.4.0 benchmark page, set up as its docs show for Vite: the web adapter with OPFS,
// our worker file (makeWorker with the same schema) and its shared worker; devtools off (they are
// a development aid ls-elements does not have). Installs the shared driver. Query: ?store=<id>
import { makePersistedAdapter } from '@livestore/adapter-web';
import LiveStoreSharedWorker from '@livestore/adapter-web/shared-worker?sharedworker';
import { createStorePromise } from '@livestore/livestore';
import { install } from './driver.ts';
import { events, schema, tables } from './livestore-schema.ts';
import LiveStoreWorker from './livestore.worker.ts?worker';

const storeId = new URLSearchParams(location.search).get('store') ?? 'bench';

install(async () => {
  const adapter = makePersistedAdapter({ storage: { type: 'opfs' }, worker: LiveStoreWorker, sharedWorker: LiveStoreSharedWorker });
  const store = await createStorePromise({ schema, storeId, adapter, disableDevtools: true });
  return {
    name: 'livestore',
    store: store as never,
    events,
    todos: tables.todos as never,
    shutdown: () => store.shutdownPromise(),
  };
});
