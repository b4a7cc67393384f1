import { expect } from 'chai';
import type { LiveEvent } from '../core/live-event.ts';
import { PROTOCOL_VERSION, type LeaderApi, type LeaderEvents, type LeaderUpdateWire } from '../rpc/protocol.ts';
import { RpcClient } from '../rpc/rpc-client.ts';
import { loadSqlite } from '../sqlite/load-sqlite.ts';
import { SqliteDatabase } from '../sqlite/sqlite-database.ts';
import { schema } from '../../test/fixtures/todo-schema.ts';
import { LeaderCore } from './leader-core.ts';
import { LeaderHost } from './leader-host.ts';
import { LeaderSync } from './leader-sync.ts';

type Client = RpcClient<LeaderApi, LeaderEvents>;

async function makeHost(dbs?: { stateDb: SqliteDatabase; eventlogDb: SqliteDatabase }) {
  const api = await loadSqlite();
  const stateDb = dbs?.stateDb ?? SqliteDatabase.openInMemory(api);
  const eventlogDb = dbs?.eventlogDb ?? SqliteDatabase.openInMemory(api);
  const core = new LeaderCore({ schema, stateDb, eventlogDb });
  const host = new LeaderHost({ core, eventlogDb, leaderId: 'test-leader', storage: 'memory' });
  return { host, core, stateDb, eventlogDb };
}

function connect(host: LeaderHost, sessionId: string): { client: Client; updates: LeaderUpdateWire[] } {
  const { port1, port2 } = new MessageChannel();
  host.accept(port2);
  const client: Client = new RpcClient(port1);
  const updates: LeaderUpdateWire[] = [];
  client.on('update', (u) => updates.push(u));
  void client.call('hello', { v: PROTOCOL_VERSION, schemaHash: schema.hash, sessionId, clientId: 'c1' });
  return { client, updates };
}

let n = 0;
function created(sessionId: string, text: string): LiveEvent {
  n++;
  return { id: `${sessionId}-${n}`, name: 'v1.TodoCreated', args: { id: `todo-${n}`, text }, seqNum: 0, parentSeqNum: 0, clientId: 'c1', sessionId, createdAt: 1 };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('LeaderHost', () => {
  it('boots a session from a state image and its head', async () => {
    const { host } = await makeHost();
    const a = connect(host, 'a');
    const boot = await a.client.call('boot');
    expect(boot.head).to.equal(0);
    expect(boot.image.byteLength).to.be.greaterThan(0);
  });

  it('appends the pushes of one task in one batch and sends one update to every booted session', async () => {
    const { host, core } = await makeHost();
    const a = connect(host, 'a');
    const b = connect(host, 'b');
    await a.client.call('boot');
    await b.client.call('boot');
    a.client.notify('push', [[created('a', 'one')], [created('a', 'two')]]);
    await a.client.call('flush', {});
    await settle();
    expect(core.head).to.equal(2);
    for (const s of [a, b]) {
      expect(s.updates).to.have.length(1);
      const u = s.updates[0] as { _tag: string; events: LiveEvent[]; head: number };
      expect(u._tag).to.equal('appended');
      expect(u.events.map((e) => e.seqNum)).to.deep.equal([1, 2]);
      expect(u.head).to.equal(2);
    }
  });

  it('sends a refused group back to its own session only, and appends the others', async () => {
    const { host, core } = await makeHost();
    const a = connect(host, 'a');
    const b = connect(host, 'b');
    await a.client.call('boot');
    await b.client.call('boot');
    const bad: LiveEvent = { ...created('a', 'x'), name: 'v1.NoSuchEvent' };
    a.client.notify('push', [[bad], [created('a', 'fine')]]);
    await a.client.call('flush', {});
    await settle();
    expect(core.head).to.equal(1);
    expect(a.updates.map((u) => u._tag)).to.deep.equal(['rejected', 'appended']);
    expect(b.updates.map((u) => u._tag)).to.deep.equal(['appended']);
  });

  it('does not append or announce again an event it already has (a resend after failover)', async () => {
    const { host, core } = await makeHost();
    const a = connect(host, 'a');
    await a.client.call('boot');
    const e = created('a', 'once');
    a.client.notify('push', [[e]]);
    await a.client.call('flush', {});
    a.client.notify('push', [[e]]);
    await a.client.call('flush', {});
    await settle();
    expect(core.head).to.equal(1);
    expect(a.updates).to.have.length(1);
  });

  it('resumes a reconnecting session with every event after its head, then sends it new updates', async () => {
    const { host } = await makeHost();
    const a = connect(host, 'a');
    await a.client.call('boot');
    a.client.notify('push', [[created('a', '1')], [created('a', '2')], [created('a', '3')]]);
    await a.client.call('flush', {});
    const b = connect(host, 'b');
    const r = await b.client.call('resume', { after: 1, epoch: 0, pending: [] });
    if (r._tag !== 'events') throw new Error(`expected events, got ${r._tag}`);
    expect(r.events.map((e) => e.seqNum)).to.deep.equal([2, 3]);
    expect(r.head).to.equal(3);
    a.client.notify('push', [[created('a', '4')]]);
    await a.client.call('flush', {});
    await settle();
    expect(b.updates.map((u) => (u as unknown as { head: number }).head)).to.deep.equal([4]);
  });

  it('refuses to resume a session that has seen more than the leader holds', async () => {
    const { host } = await makeHost();
    const a = connect(host, 'a');
    const err = await a.client.call('resume', { after: 5, epoch: 0, pending: [] }).then(() => undefined, (e: { code: string }) => e);
    expect(err?.code).to.equal('LS_LEADER_UNAVAILABLE');
  });

  it('answers a resume from another log epoch (a rebase rewrote the log) with the state and the pending ids it holds', async () => {
    const { host, core } = await makeHost();
    const a = connect(host, 'a');
    await a.client.call('boot');
    const mine = [created('a', 'mine 1'), created('a', 'mine 2')];
    a.client.notify('push', [[mine[0]!], [mine[1]!]]);
    await a.client.call('flush', {});
    // Another client's event reaches the server first: the sync client rebases ours on top of it.
    const foreign: LiveEvent = { ...created('other', 'theirs'), seqNum: 1, parentSeqNum: 0, clientId: 'other' };
    const r = new LeaderSync({ core, onAppended: () => {}, onReset: () => {} }).receiveUpstream({ _tag: 'upstream-advance', events: [foreign] });
    expect(r._tag).to.equal('rebase');
    expect(core.logEpoch).to.equal(1);
    const b = connect(host, 'b');
    const reply = await b.client.call('resume', { after: 1, epoch: 0, pending: [mine[1]!.id, 'never-sent'] });
    if (reply._tag !== 'reset') throw new Error(`expected a reset, got ${reply._tag}`);
    expect(reply.head).to.equal(3);
    expect(reply.epoch).to.equal(1);
    expect(reply.known).to.deep.equal([mine[1]!.id]);
    const copy = SqliteDatabase.openInMemory(await loadSqlite());
    copy.deserialize(reply.image);
    expect(copy.all('SELECT text FROM todos ORDER BY text')).to.deep.equal([{ text: 'mine 1' }, { text: 'mine 2' }, { text: 'theirs' }]);
    // The same epoch still gets events by number.
    const same = await b.client.call('resume', { after: 3, epoch: 1, pending: [] });
    expect(same._tag).to.equal('events');
  });

  it('refuses a session whose schema differs from the leader\'s', async () => {
    const { host } = await makeHost();
    const { port1, port2 } = new MessageChannel();
    host.accept(port2);
    const client: Client = new RpcClient(port1);
    const err = await client.call('hello', { v: PROTOCOL_VERSION, schemaHash: 'other', sessionId: 's', clientId: 'c' }).then(() => undefined, (e: { code: string }) => e);
    expect(err?.code).to.equal('LS_PROTOCOL_VERSION');
  });

  it('keeps the data for a new host on the same databases (what a failover reopens)', async () => {
    const first = await makeHost();
    const a = connect(first.host, 'a');
    await a.client.call('boot');
    a.client.notify('push', [[created('a', 'kept')]]);
    await a.client.call('flush', {});
    first.host.close();
    const second = await makeHost({ stateDb: first.stateDb, eventlogDb: first.eventlogDb });
    const b = connect(second.host, 'b');
    const boot = await b.client.call('boot');
    expect(boot.head).to.equal(1);
    const api = await loadSqlite();
    const copy = SqliteDatabase.openInMemory(api);
    copy.deserialize(boot.image);
    expect(copy.all('SELECT text FROM todos')).to.deep.equal([{ text: 'kept' }]);
  });
});
