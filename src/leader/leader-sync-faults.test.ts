// The sync connection dropped at the worst moments, against the real sync server (the WTR plugin
// runs it): in the middle of a multi-page pull (after a page, and with a page lost in flight) and
// in the middle of a push (the frame sent but its answer lost, and the frame never sent). The
// drop is made by a WebSocket wrapper that cuts the connection like a network failure does: the
// socket closes with 1006 and nothing more arrives. Each time the client must tell the app
// (status offline), reconnect by itself, and end with every event exactly once, in the server's
// order, state and eventlog agreeing.
import { expect } from 'chai';
import { createStorePromise, makeInMemoryAdapter } from '../index.ts';
import type { Store, SyncStatus } from '../index.ts';
import type { SyncWebSocket, SyncWebSocketConstructor } from '../sync/sync-socket.ts';
import { events, schema, tables } from '../../test/fixtures/todo-schema.ts';

type Message = { readonly type: string; readonly live?: boolean; readonly events?: readonly unknown[] };
/** What to do with a frame: pass it, cut the connection after it, or cut before it gets through. */
type Action = 'pass' | 'cut-after' | 'cut-before';

interface Plan {
  readonly received?: (m: Message) => Action;
  readonly sent?: (m: Message) => Action;
}

/** A WebSocket whose connection the plan can cut; the plan's first cut is the only one. */
function faultySockets(plan: Plan): { readonly WebSocket: SyncWebSocketConstructor; readonly stats: { sockets: number; cuts: number } } {
  const stats = { sockets: 0, cuts: 0 };
  class FaultySocket implements SyncWebSocket {
    onopen: ((ev: unknown) => void) | null = null;
    onmessage: ((ev: { readonly data: unknown }) => void) | null = null;
    onclose: ((ev: { readonly code: number; readonly reason: string }) => void) | null = null;
    onerror: ((ev: unknown) => void) | null = null;
    readonly #ws: WebSocket;
    #cut = false;

    constructor(url: string) {
      stats.sockets++;
      this.#ws = new WebSocket(url);
      this.#ws.onopen = (ev) => this.onopen?.(ev);
      this.#ws.onerror = (ev) => this.onerror?.(ev);
      this.#ws.onclose = (ev) => {
        if (!this.#cut) this.onclose?.({ code: ev.code, reason: ev.reason });
      };
      this.#ws.onmessage = (ev) => {
        if (this.#cut) return;
        const action = stats.cuts === 0 ? plan.received?.(JSON.parse(String(ev.data)) as Message) ?? 'pass' : 'pass';
        if (action === 'cut-before') return this.#drop();
        this.onmessage?.({ data: ev.data });
        if (action === 'cut-after') this.#drop();
      };
    }

    get readyState(): number {
      return this.#cut ? WebSocket.CLOSED : this.#ws.readyState;
    }

    send(data: string): void {
      if (this.#cut) return;
      const action = stats.cuts === 0 ? plan.sent?.(JSON.parse(data) as Message) ?? 'pass' : 'pass';
      if (action === 'cut-before') return this.#drop();
      this.#ws.send(data);
      if (action === 'cut-after') this.#drop();
    }

    close(code?: number, reason?: string): void {
      this.#ws.close(code, reason);
    }

    /** The network fails: the socket goes, the client hears an abnormal close a moment later. */
    #drop(): void {
      this.#cut = true;
      stats.cuts++;
      this.#ws.close();
      setTimeout(() => this.onclose?.({ code: 1006, reason: 'connection dropped (test)' }), 0);
    }
  }
  return { WebSocket: FaultySocket, stats };
}

let serverUrl = '';
let n = 0;
const stores: Store<typeof schema>[] = [];

before(async () => {
  serverUrl = ((await (await fetch('/__sync/url')).json()) as { url: string }).url;
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.shutdown()));
});

async function client(storeId: string, name: string, WebSocket?: SyncWebSocketConstructor): Promise<{ store: Store<typeof schema>; phases: SyncStatus['phase'][] }> {
  const store = await createStorePromise({
    schema, storeId, clientId: name, onError: () => {},
    adapter: makeInMemoryAdapter({ sync: { url: serverUrl, backoff: { initialMs: 20, maxMs: 200 }, ...(WebSocket === undefined ? {} : { WebSocket }) } }),
  });
  stores.push(store);
  const phases: SyncStatus['phase'][] = [];
  store.subscribeSyncStatus((s) => phases.push(s.phase));
  return { store, phases };
}

const ids = async (s: Store<typeof schema>): Promise<string[]> => (await s._dev.eventlog()).filter((e) => !e.clientOnly).map((e) => e.id);
const todoIds = (s: Store<typeof schema>): string[] => s.query(tables.todos.orderBy('id', 'asc')).map((t) => t.id);

async function until(fn: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out: ${what}`);
}

/** A store on the server with `count` events (more than two pull pages of 500). */
async function seeded(count: number): Promise<{ storeId: string; a: Store<typeof schema>; log: string[] }> {
  const storeId = `faults-${++n}-${Date.now().toString(36)}`;
  const { store: a } = await client(storeId, 'A');
  for (let i = 0; i < count; i += 100) {
    a.commit(...Array.from({ length: Math.min(100, count - i) }, (_, j) => events.todoCreated({ id: `t${String(i + j).padStart(5, '0')}`, text: 'seeded' })));
  }
  await a.flush({ upstream: true });
  const log = await ids(a);
  expect(log).to.have.length(count);
  return { storeId, a, log };
}

async function expectConverged(a: Store<typeof schema>, b: Store<typeof schema>, count: number): Promise<void> {
  await until(async () => (await ids(a)).length === count && (await ids(b)).length === count, `both hold ${count} events`);
  const [la, lb] = [await ids(a), await ids(b)];
  expect(lb).to.deep.equal(la);
  expect(new Set(lb).size).to.equal(count);
  expect(todoIds(b)).to.deep.equal(todoIds(a));
  expect(todoIds(b)).to.have.length(count);
}

describe('sync connection dropped mid-pull and mid-push', () => {
  it('resumes a pull cut after its first page: every event once, in order', async () => {
    const { storeId, a, log } = await seeded(1200);
    const faults = faultySockets({ received: (m) => (m.type === 'events' && m.live === false ? 'cut-after' : 'pass') });
    const { store: b, phases } = await client(storeId, 'B', faults.WebSocket);
    await expectConverged(a, b, 1200);
    expect(await ids(b)).to.deep.equal(log);
    expect(faults.stats.cuts).to.equal(1);
    expect(faults.stats.sockets).to.be.greaterThan(1);
    expect(phases).to.include('offline'); // the app was told
    await until(() => b.syncStatus.phase === 'synced', 'b synced again');
  });

  it('resumes a pull whose page was lost in flight', async () => {
    const { storeId, a } = await seeded(1100);
    let pages = 0;
    const faults = faultySockets({ received: (m) => (m.type === 'events' && ++pages === 2 ? 'cut-before' : 'pass') });
    const { store: b } = await client(storeId, 'B', faults.WebSocket);
    await expectConverged(a, b, 1100);
    expect(faults.stats.cuts).to.equal(1);
  });

  it('stores a push once when the connection drops after the push left but before its answer', async () => {
    const { storeId, a } = await seeded(10);
    const faults = faultySockets({ sent: (m) => (m.type === 'push' ? 'cut-after' : 'pass') });
    const { store: b, phases } = await client(storeId, 'B', faults.WebSocket);
    await until(() => todoIds(b).length === 10, 'b caught up');
    b.commit(...Array.from({ length: 20 }, (_, i) => events.todoCreated({ id: `b${String(i).padStart(3, '0')}`, text: 'from B' })));
    await b.flush({ upstream: true });
    await expectConverged(a, b, 30);
    expect(faults.stats.cuts).to.equal(1);
    expect(phases).to.include('offline');
    expect(b.syncStatus.pending).to.equal(0);
  });

  it('sends a push again when the connection dropped before the push got out', async () => {
    const { storeId, a } = await seeded(10);
    const faults = faultySockets({ sent: (m) => (m.type === 'push' ? 'cut-before' : 'pass') });
    const { store: b } = await client(storeId, 'B', faults.WebSocket);
    await until(() => todoIds(b).length === 10, 'b caught up');
    b.commit(...Array.from({ length: 20 }, (_, i) => events.todoCreated({ id: `b${String(i).padStart(3, '0')}`, text: 'from B' })));
    await b.flush({ upstream: true });
    await expectConverged(a, b, 30);
    expect(faults.stats.cuts).to.equal(1);
  });

  it('rebases correctly when the answer to a push is lost while another client pushed first', async () => {
    const { storeId, a } = await seeded(5);
    let held = false;
    const faults = faultySockets({
      received: (m) => {
        if (m.type !== 'ok' && m.type !== 'rejected') return 'pass';
        held = true;
        return 'cut-before';
      },
    });
    const { store: b } = await client(storeId, 'B', faults.WebSocket);
    await until(() => todoIds(b).length === 5, 'b caught up');
    b.commit(events.todoCreated({ id: 'b-concurrent', text: 'B' }));
    a.commit(events.todoCreated({ id: 'a-concurrent', text: 'A' }));
    await Promise.all([a.flush({ upstream: true }), b.flush({ upstream: true })]);
    expect(held).to.equal(true);
    await expectConverged(a, b, 7);
  });
});
