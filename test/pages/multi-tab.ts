// The page the multi-tab e2e tests drive (test/e2e/*.test.ts): opens the todo store with the web
// adapter and exposes a small handle as `window.__t`. Query: ?store=<id>[&reset]
import { createStorePromise } from '../../src/index.ts';
import { makePersistedAdapter } from '../../src/session/web-adapter.ts';
import { events, schema, tables } from '../fixtures/todo-schema.ts';

const params = new URLSearchParams(location.search);
const storeId = params.get('store') ?? 'e2e';
const logs: string[] = [];
const errors: string[] = [];
const w = window as unknown as { __t?: unknown; __bootError?: string };

try {
  const syncUrl = params.get('sync');
  const adapter = makePersistedAdapter({
    schemaUrl: new URL('../fixtures/todo-schema.ts', import.meta.url), resetPersistence: params.has('reset'),
    ...(syncUrl === null ? {} : { sync: { url: syncUrl } }),
  });
  const initialSessionId = sessionStorage.getItem(`ls:session:${storeId}`);
  // No sessionId or clientId given: the adapter supplies them (per tab, per browser profile).
  const store = await createStorePromise({
    schema, storeId, adapter,
    log: (level, message) => logs.push(`${level}: ${message}`),
    onError: (err) => errors.push(`${err.code}: ${err.message}`),
  });
  let todos: readonly string[] = [];
  store.subscribe(tables.todos.orderBy('id', 'asc'), (rows) => {
    todos = rows.map((r) => r.id);
  });
  let seq = 0;
  w.__t = {
    store,
    sessionId: store.sessionId,
    initialSessionId,
    logs,
    errors,
    /** Ids of the todos this tab's subscription last saw. */
    todos: () => todos,
    status: () => store.storage,
    commit(prefix: string, count = 1) {
      for (let i = 0; i < count; i++) store.commit(events.todoCreated({ id: `${prefix}-${String(++seq).padStart(5, '0')}`, text: prefix }));
    },
    /** One todo with this text (e.g. a large one, to fill the storage). */
    commitText(prefix: string, text: string) {
      store.commit(events.todoCreated({ id: `${prefix}-${String(++seq).padStart(5, '0')}`, text }));
    },
    /** Commits `count` todos one per macrotask, so another tab can close in the middle of it. */
    async stream(prefix: string, count: number) {
      for (let i = 0; i < count; i++) {
        store.commit(events.todoCreated({ id: `${prefix}-${String(++seq).padStart(5, '0')}`, text: prefix }));
        await new Promise((r) => setTimeout(r, 2));
      }
    },
    flush: () => store.flush(),
    flushUpstream: () => store.flush({ upstream: true }),
    syncStatus: () => ({ ...store.syncStatus }),
    rebases: () => store._dev.syncStates().session.rebases,
    /** Ids of the synced events in the leader's eventlog, in its order. */
    eventlogIds: async () => (await store._dev.eventlog()).filter((e) => !e.clientOnly).map((e) => e.id),
    /** A clientOnly event (a client document's set) and a read of that document. */
    uiSet: (id: string, newTodoText: string) => store.commit(events.uiStateSet({ newTodoText, filter: 'all' }, id)),
    uiGet: (id: string) => store.query(tables.uiState.get(id)).newTodoText,
    eventlogCount: async () => {
      const bytes = await store._dev.downloadEventlogDb({ save: false });
      return bytes.byteLength;
    },
    shutdown: () => store.shutdown(),
  };
} catch (err) {
  w.__bootError = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
