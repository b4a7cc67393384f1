import { expect } from 'chai';
import type { LiveEvent } from '../core/live-event.ts';
import { LeaderCore } from '../leader/leader-core.ts';
import { LeaderHost } from '../leader/leader-host.ts';
import { LeaderSync } from '../leader/leader-sync.ts';
import { loadSqlite } from '../sqlite/load-sqlite.ts';
import { SqliteDatabase } from '../sqlite/sqlite-database.ts';
import { schema } from '../../test/fixtures/todo-schema.ts';
import type { LeaderUpdate } from './adapter.ts';
import { WebLeaderConnection } from './web-adapter-connection.ts';
import type { LeaderLink } from './web-adapter-links.ts';

/** Leaders on one pair of in-memory databases, as successive leader workers share the OPFS files. */
async function leaders() {
  const api = await loadSqlite();
  const stateDb = SqliteDatabase.openInMemory(api);
  const eventlogDb = SqliteDatabase.openInMemory(api);
  let current: { host: LeaderHost; core: LeaderCore; die: () => void } | undefined;
  const start = () => {
    const core = new LeaderCore({ schema, stateDb, eventlogDb });
    const host = new LeaderHost({ core, eventlogDb, leaderId: `leader-${Math.random()}`, storage: 'memory' });
    let die!: () => void;
    const gone = new Promise<void>((r) => (die = r));
    current = { host, core, die: () => { host.close(); die(); } };
    return { host, core, gone };
  };
  let leader = start();
  let gone = leader.gone;
  let none = false;
  const connect = async (): Promise<LeaderLink> => {
    if (none) return new Promise<never>(() => {}); // no tab leads: wait forever
    const { port1, port2 } = new MessageChannel();
    leader.host.accept(port2);
    return { endpoint: port1, aliveLock: 'test', gone, dispose: () => port1.close() };
  };
  return {
    connect,
    get core() {
      return current!.core;
    },
    get host() {
      return current!.host;
    },
    /** The leader dies (nothing it had queued is written) and the next one starts on the same files. */
    failover() {
      current!.die();
      leader = start();
      gone = leader.gone;
    },
    /** The leader dies and no other takes over. */
    dieForGood() {
      none = true;
      current!.die();
    },
  };
}

let n = 0;
function group(text: string): LiveEvent[] {
  n++;
  return [{ id: `e${n}`, name: 'v1.TodoCreated', args: { id: `t${n}`, text }, seqNum: 0, parentSeqNum: 0, clientId: 'c', sessionId: 's', createdAt: 1 }];
}

function open(connect: () => Promise<LeaderLink>) {
  const conn = new WebLeaderConnection({ connect, hello: { schemaHash: schema.hash, sessionId: 's', clientId: 'c' }, isLeaderTab: () => false });
  const updates: LeaderUpdate[] = [];
  return { conn, updates, listen: () => conn.subscribe((u) => updates.push(u)) };
}

async function until(fn: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !fn(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!fn()) throw new Error('timed out');
}

const appendedSeqs = (updates: readonly LeaderUpdate[]) => updates.flatMap((u) => (u._tag === 'appended' ? u.events.map((e) => e.seqNum) : []));

describe('WebLeaderConnection', () => {
  it('resolves flush once the leader acknowledged every group pushed before it', async () => {
    const l = await leaders();
    const { conn, updates, listen } = open(l.connect);
    await conn.boot();
    listen();
    conn.push([group('a'), group('b')]);
    await conn.flush();
    expect(l.core.head).to.equal(2);
    expect(appendedSeqs(updates)).to.deep.equal([1, 2]);
  });

  it('resends to the next leader what the dead one never wrote, once', async () => {
    const l = await leaders();
    const { conn, updates, listen } = open(l.connect);
    await conn.boot();
    listen();
    conn.push([group('written')]);
    await conn.flush();
    conn.push([group('lost with the leader')]);
    l.failover(); // before the old leader's batch ran
    await conn.flush();
    expect(l.core.head).to.equal(2);
    expect(appendedSeqs(updates)).to.deep.equal([1, 2]);
    expect(conn.reconnects).to.equal(1);
  });

  it('learns on reconnect what the dead leader wrote but never announced, without doubling it', async () => {
    const l = await leaders();
    const { conn, updates, listen } = open(l.connect);
    await conn.boot();
    listen();
    const g = group('written, not announced');
    l.core.append([g]); // the old leader wrote it, then died before its update went out
    conn.push([g]);
    l.failover();
    await conn.flush();
    expect(l.core.head).to.equal(1);
    expect(appendedSeqs(updates)).to.deep.equal([1]);
  });

  it('takes the state image on reconnect when the next leader rebased its log first, without doubling what it holds', async () => {
    const l = await leaders();
    const { conn, updates, listen } = open(l.connect);
    await conn.boot();
    listen();
    const first = group('acknowledged');
    conn.push([first]);
    await conn.flush();
    const second = group('written, not announced');
    l.core.append([second]); // the old leader wrote it, then died before its update went out
    conn.push([second]);
    l.failover();
    // Before this session resumes, the new leader's sync client pulls another client's event and
    // rebases: the event numbers after the rewrite name other events than the session's head did.
    const foreign: LiveEvent = { ...group('theirs')[0]!, clientId: 'other', sessionId: 'other', seqNum: 1, parentSeqNum: 0 };
    const r = new LeaderSync({ core: l.core, onAppended: () => {}, onReset: () => {} }).receiveUpstream({ _tag: 'upstream-advance', events: [foreign] });
    expect(r._tag).to.equal('rebase');
    await conn.flush();
    expect(l.core.head).to.equal(3);
    const reset = updates.find((u) => u._tag === 'reset');
    if (reset?._tag !== 'reset') throw new Error('expected a reset update');
    expect(reset.head).to.equal(3);
    expect(reset.known).to.deep.equal([second[0]!.id]);
    expect(appendedSeqs(updates)).to.deep.equal([1]); // nothing re-announced by number
  });

  it('passes a rebase on as its changes, and on resync() delivers the state image instead', async () => {
    const l = await leaders();
    const { conn, updates, listen } = open(l.connect);
    await conn.boot();
    listen();
    const sync = new LeaderSync({ core: l.core, onAppended: () => {}, onReset: (rebase) => l.host.broadcastReset(rebase) });
    conn.push([group('mine')]);
    await conn.flush();
    const foreign: LiveEvent = { ...group('theirs')[0]!, clientId: 'other', sessionId: 'other', seqNum: 1, parentSeqNum: 0 };
    expect(sync.receiveUpstream({ _tag: 'upstream-advance', events: [foreign] })._tag).to.equal('rebase');
    await until(() => updates.some((u) => u._tag === 'rebase'));
    const rebase = updates.find((u) => u._tag === 'rebase');
    if (rebase?._tag !== 'rebase') throw new Error('expected a rebase update');
    expect([rebase.base, rebase.head, rebase.epoch]).to.deep.equal([1, 2, 1]);
    expect(rebase.changes).to.be.instanceOf(Uint8Array);
    conn.resync();
    await until(() => updates.some((u) => u._tag === 'reset'));
    const reset = updates.find((u) => u._tag === 'reset');
    if (reset?._tag !== 'reset') throw new Error('expected a reset update');
    expect([reset.head, reset.epoch]).to.deep.equal([2, 1]);
    expect(conn.reconnects).to.equal(1);
    conn.push([group('after')]);
    await conn.flush();
    expect(l.core.head).to.equal(3);
  });

  it('keeps updates that arrive before the first subscriber and delivers them to it', async () => {
    const l = await leaders();
    const { conn, updates, listen } = open(l.connect);
    await conn.boot();
    conn.push([group('early')]);
    await conn.flush();
    listen();
    await new Promise((r) => setTimeout(r, 0));
    expect(appendedSeqs(updates)).to.deep.equal([1]);
  });

  it('rejects a flush still waiting when the connection closes', async () => {
    const l = await leaders();
    const { conn } = open(l.connect);
    await conn.boot();
    conn.push([group('never acknowledged')]);
    l.dieForGood();
    const flushed = conn.flush().then(() => 'resolved', (e: { code: string }) => e.code);
    await new Promise((r) => setTimeout(r, 20));
    await conn.close();
    expect(await flushed).to.equal('LS_STORE_SHUTDOWN');
  });
});
