// The page the devtools e2e test drives: a todo store on the web adapter with a few todos, and
// <ls-devtools open> loaded lazily below it. `window.__ready` is set when both are up.
import { createStorePromise } from '../../src/index.ts';
import { loadDevtools } from '../../elements/devtools/load-devtools.ts';
import { events, schema } from '../fixtures/todo-schema.ts';

const storeId = new URLSearchParams(location.search).get('store') ?? 'devtools';
const store = await createStorePromise({ schema, storeId, schemaUrl: new URL('../fixtures/todo-schema.ts', import.meta.url) });
store.commit(
  events.todoCreated({ id: 't1', text: 'Buy milk' }),
  events.todoCreated({ id: 't2', text: 'Walk the dog' }),
  events.todoCompleted({ id: 't1' }),
);
await store.flush();
await loadDevtools();
const el = document.createElement('ls-devtools');
el.store = store;
el.open = true;
document.body.append(el);
await el.updateComplete;
(window as unknown as { __ready: boolean; __store: unknown }).__store = store;
(window as unknown as { __ready: boolean }).__ready = true;
