// <ls-store sync-url>: two elements (two in-memory clients) on one store id stay in sync through
// the real sync server the test runner starts (scripts/wtr-sync-server.mjs).
import { expect } from 'chai';
import type { LsStore } from './index.ts';
import './index.ts';
import { events, schema, tables } from '../test/fixtures/todo-schema.ts';
import { cleanup, mount, uniqueStoreId } from '../test/fixtures/mount.ts';

async function until(fn: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (fn()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out: ${what}`);
}

describe('<ls-store sync-url>', () => {
  afterEach(cleanup);

  it('syncs two stores with the same store-id through the server, and shows the status', async () => {
    const { url } = (await (await fetch('/__sync/url')).json()) as { url: string };
    const id = uniqueStoreId('el-sync');
    const host = mount(`<ls-store store-id="${id}" sync-url="${url}"></ls-store><ls-store store-id="${id}" sync-url="${url}"></ls-store>`);
    const [a, b] = [...host.querySelectorAll('ls-store')] as LsStore[];
    a!.schema = schema;
    b!.schema = schema;
    const [sa, sb] = await Promise.all([a!.ready, b!.ready]);
    a!.commit('v1.TodoCreated', { id: 't1', text: 'from a' });
    sb.commit(events.todoCreated({ id: 't2', text: 'from b' }));
    await until(() => sa.query(tables.todos).length === 2 && sb.query(tables.todos).length === 2, 'both see both todos');
    await until(() => a!.status?.sync.phase === 'synced', 'a reports synced');
    expect(a!.status?.sync.online).to.equal(true);
  });
});
