// <ls-sync-status> and <ls-store>.status: storage kind, sync phase (or "local only"), pending
// count, and no subscription left behind after a disconnect.
import { expect } from 'chai';
import { createStorePromise, type Store } from '../src/index.ts';
import './index.ts'; // registers the elements: the type-only import below is erased
import type { LsStore, LsSyncStatus } from './index.ts';
import type { SyncStatus } from './store-status.ts';
import { schema } from '../test/fixtures/todo-schema.ts';
import { cleanup, mount, settle, uniqueStoreId } from '../test/fixtures/mount.ts';

interface FakeSync {
  readonly store: Store;
  set(status: Partial<SyncStatus>): void;
  readonly listeners: Set<(s: SyncStatus) => void>;
}

/** A real store that also exposes the sync status contract (store-status.ts), driven by the test. */
function withSyncStatus(store: Store): FakeSync {
  let status: SyncStatus = { phase: 'connecting', online: false, pending: 0, upstreamHead: 0, attempt: 0 };
  const listeners = new Set<(s: SyncStatus) => void>();
  const extra = {
    get syncStatus() {
      return status;
    },
    subscribeSyncStatus(listener: (s: SyncStatus) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const proxy = new Proxy(store, {
    get(target, key) {
      if (key in extra) return Reflect.get(extra, key);
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    store: proxy,
    listeners,
    set(next) {
      status = { ...status, ...next };
      for (const l of [...listeners]) l(status);
    },
  };
}

const parts = (el: LsSyncStatus): Record<string, string | null> => {
  const out: Record<string, string | null> = {};
  for (const node of el.shadowRoot!.querySelectorAll<HTMLElement>('[part]')) out[node.getAttribute('part')!] = node.hidden ? null : node.textContent;
  return out;
};

describe('<ls-sync-status>', () => {
  afterEach(cleanup);

  it('shows "local only" and where the data lives for a store that does not sync', async () => {
    const host = mount(`<ls-store store-id="${uniqueStoreId('st')}"><ls-sync-status></ls-sync-status></ls-store>`);
    const el = host.querySelector('ls-sync-status')!;
    host.querySelector('ls-store')!.schema = schema;
    await host.querySelector('ls-store')!.ready;
    await el.updateComplete;
    expect(parts(el)).to.deep.equal({ sync: 'local only', pending: null, storage: 'in memory only' });
    expect(el.getAttribute('phase')).to.equal('disabled');
    expect(el.getAttribute('storage')).to.equal('memory');
    expect(el.hasAttribute('online')).to.equal(false);
  });

  it('shows "no store" until its <ls-store> is ready', async () => {
    const el = mount('<ls-store><ls-sync-status></ls-sync-status></ls-store>').querySelector('ls-sync-status')!;
    await el.updateComplete;
    expect(el.status).to.equal(undefined);
    expect(parts(el)['sync']).to.equal('no store');
  });

  it('follows a syncing store: online, offline and the pending count', async () => {
    const real = await createStorePromise({ schema, storeId: uniqueStoreId('sync') });
    const fake = withSyncStatus(real);
    const el = mount('<ls-sync-status></ls-sync-status>').querySelector('ls-sync-status')!;
    el.store = fake.store;
    await el.updateComplete;
    expect(parts(el)['sync']).to.equal('connecting');
    fake.set({ phase: 'synced', online: true });
    await el.updateComplete;
    expect(parts(el)['sync']).to.equal('online');
    expect(el.hasAttribute('online')).to.equal(true);
    fake.set({ phase: 'offline', online: false, pending: 3 });
    await el.updateComplete;
    expect(parts(el)).to.include({ sync: 'offline', pending: '3 pending' });
    expect(el.getAttribute('pending')).to.equal('3');
    await real.shutdown();
  });

  it('fires ls-status with each new status', async () => {
    const real = await createStorePromise({ schema, storeId: uniqueStoreId('ev') });
    const fake = withSyncStatus(real);
    const el = mount('<ls-sync-status></ls-sync-status>').querySelector('ls-sync-status')!;
    const seen: (string | undefined)[] = [];
    el.addEventListener('ls-status', (e) => seen.push(e.detail.status?.sync.phase));
    el.store = fake.store;
    fake.set({ phase: 'syncing', online: true });
    expect(seen).to.deep.equal(['connecting', 'syncing']);
    await real.shutdown();
  });

  it('unsubscribes from the store when removed, and subscribes again when put back', async () => {
    const real = await createStorePromise({ schema, storeId: uniqueStoreId('leak') });
    const fake = withSyncStatus(real);
    const el = mount('<ls-sync-status></ls-sync-status>').querySelector('ls-sync-status')!;
    el.store = fake.store;
    expect(fake.listeners.size).to.equal(1);
    el.remove();
    expect(fake.listeners.size).to.equal(0);
    fake.set({ phase: 'synced', online: true });
    await settle();
    expect(el.status?.sync.phase).to.equal('connecting');
    document.body.append(el);
    expect(fake.listeners.size).to.equal(1);
    expect(el.status?.sync.phase).to.equal('synced');
    el.remove();
    await real.shutdown();
  });
});

describe('<ls-store>.status', () => {
  afterEach(cleanup);

  it('reports the storage and a disabled sync for a store without sync, and undefined before ready', async () => {
    const el: LsStore = mount(`<ls-store store-id="${uniqueStoreId('status')}"></ls-store>`).querySelector('ls-store')!;
    expect(el.status).to.equal(undefined);
    el.schema = schema;
    await el.ready;
    expect(el.status).to.deep.include({ storage: 'memory', isLeaderTab: true });
    expect(el.status?.sync.phase).to.equal('disabled');
  });
});
