// A rebase in the leader undoes the moved events' changesets instead of replaying the log: the
// state afterwards equals a rebuild from the same eventlog, and the work done is the moved events,
// whatever the length of the log. Missing changesets fall back to a rebuild, once.
import { expect } from 'chai';
import { loadSqlite } from '../sqlite/load-sqlite.ts';
import { SqliteDatabase } from '../sqlite/sqlite-database.ts';
import { LeaderCore } from './leader-core.ts';
import { undoCount } from './undo-log.ts';
import { events, schema } from '../../test/fixtures/todo-schema.ts';
import { leader, live, stateOf, upstream } from '../../test/fixtures/rebase-leader.ts';

/** The state a rebuild from a copy of this eventlog produces. */
async function rebuilt(eventlogDb: SqliteDatabase): Promise<unknown[]> {
  const api = await loadSqlite();
  const log = SqliteDatabase.openInMemory(api);
  log.deserialize(eventlogDb.serialize());
  const fresh = new LeaderCore({ schema, stateDb: SqliteDatabase.openInMemory(api), eventlogDb: log });
  expect(fresh.lastOpen.mode).to.equal('rebuild');
  return stateOf(fresh.stateDb);
}

describe('leader rebase by changesets', () => {
  it('undoes only the moved events, and the state equals a rebuild from the log', async () => {
    const { core, sync, eventlogDb } = await leader();
    // 200 events of another client, confirmed.
    const history = upstream(0, Array.from({ length: 200 }, (_, i) => events.todoCreated({ id: `h${i}`, text: `old ${i}` })));
    expect(sync.receiveUpstream({ _tag: 'upstream-advance', events: history })._tag).to.equal('advance');
    expect(undoCount(core.stateDb)).to.equal(0); // nothing pending: nothing a rebase could move
    // Ours, not yet pushed: touches a row the other client changes too, plus a clientOnly event.
    core.append([[live(events.todoCompleted({ id: 'h1' })), live(events.todoCreated({ id: 'mine', text: 'mine' }))]]);
    core.append([[live(events.todoUncompleted({ id: 'h2' }))]], new Set([events.todoUncompleted({ id: 'x' }).name]));
    expect(undoCount(core.stateDb)).to.equal(3);
    // The other client got there first.
    const theirs = upstream(200, [events.todoCompleted({ id: 'h2' }), events.todoDeleted({ id: 'h1', deletedAt: new Date(5) }), events.todoCreated({ id: 'theirs', text: 't' })]);
    const r = sync.receiveUpstream({ _tag: 'upstream-advance', events: theirs });
    expect(r._tag).to.equal('rebase');
    expect(sync.lastRebase).to.deep.include({ mode: 'undo', materialized: 6 });
    expect(core.eventsSince(0).slice(200).map((e) => e.clientId === 'other' ? e.name : `mine:${e.name}`)).to.deep.equal([
      'v1.TodoCompleted', 'v1.TodoDeleted', 'v1.TodoCreated', 'mine:v1.TodoCompleted', 'mine:v1.TodoCreated', 'mine:v1.TodoUncompleted',
    ]);
    expect(stateOf(core.stateDb)).to.deep.equal(await rebuilt(eventlogDb));
    const h1 = core.stateDb.get('SELECT completed, "deletedAt" FROM todos WHERE id = ?', ['h1']);
    expect(h1).to.deep.equal({ completed: 1, deletedAt: 5 }); // ours came after theirs in the new order
    expect(undoCount(core.stateDb)).to.equal(3); // the moved events are recorded again at their new numbers
    // The server confirms ours: their changesets go.
    const pending = sync.syncState.pending;
    expect(sync.receiveUpstream({ _tag: 'push-ack', events: pending })._tag).to.equal('advance');
    expect(undoCount(core.stateDb)).to.equal(0); // nothing pending: no event can move any more
  });

  it('does the same work for a rebase over a long log as over a short one', async () => {
    const work = async (history: number): Promise<number> => {
      const { core, sync } = await leader();
      sync.receiveUpstream({ _tag: 'upstream-advance', events: upstream(0, Array.from({ length: history }, (_, i) => events.todoCreated({ id: `h${i}`, text: 'x' }))) });
      core.append([[live(events.todoCreated({ id: 'mine', text: 'm' }))]]);
      sync.receiveUpstream({ _tag: 'upstream-advance', events: upstream(history, [events.todoCompleted({ id: 'h0' })]) });
      expect(sync.lastRebase?.mode).to.equal('undo');
      return sync.lastRebase!.materialized;
    };
    expect(await work(10)).to.equal(2);
    expect(await work(2000)).to.equal(2);
  });

  it('rebuilds once when the moved events have no changesets (stored before sync was on), then undoes', async () => {
    const { core, sync } = await leader({ before: (c) => { c.append([[live(events.todoCreated({ id: 'early', text: 'offline, no sync yet' }))]]); } });
    sync.receiveUpstream({ _tag: 'upstream-advance', events: upstream(0, [events.todoCreated({ id: 'a', text: 'a' })]) });
    expect(sync.lastRebase?.mode).to.equal('rebuild');
    expect(stateOf(core.stateDb).map((r) => r['id'])).to.deep.equal(['a', 'early']);
    sync.receiveUpstream({ _tag: 'upstream-advance', events: upstream(1, [events.todoCreated({ id: 'b', text: 'b' })]) });
    expect(sync.lastRebase?.mode).to.equal('undo');
    expect(stateOf(core.stateDb).map((r) => r['id'])).to.deep.equal(['a', 'b', 'early']);
  });

  it('falls back to a rebuild when a changeset no longer applies, and the state is still right', async () => {
    const { core, sync } = await leader();
    core.append([[live(events.todoCreated({ id: 'mine', text: 'm' }))]]);
    core.stateDb.run('DELETE FROM todos WHERE id = ?', ['mine']); // the state drifted from its changesets
    sync.receiveUpstream({ _tag: 'upstream-advance', events: upstream(0, [events.todoCreated({ id: 'a', text: 'a' })]) });
    expect(sync.lastRebase?.mode).to.equal('rebuild');
    expect(stateOf(core.stateDb).map((r) => r['id'])).to.deep.equal(['a', 'mine']);
  });

  it('quarantines and reports a moved event that fails to materialize on its new base', async () => {
    const { core, sync, reports } = await leader();
    core.append([[live(events.todoCreated({ id: 'x', text: 'mine' }))]]);
    sync.receiveUpstream({ _tag: 'upstream-advance', events: upstream(0, [events.todoCreated({ id: 'x', text: 'theirs' })]) });
    expect(sync.lastRebase?.mode).to.equal('undo');
    expect(reports.quarantined.map((e) => e.code)).to.deep.equal(['LS_MATERIALIZER_FAILED']);
    expect(core.eventlog.quarantined().map((q) => q.event.clientId)).to.deep.equal(['me']);
    expect(stateOf(core.stateDb)).to.deep.equal([{ ...stateOf(core.stateDb)[0], id: 'x', text: 'theirs' }]);
    // The next rebase still undoes: the quarantined event has an empty changeset, not a gap.
    sync.receiveUpstream({ _tag: 'upstream-advance', events: upstream(1, [events.todoCompleted({ id: 'x' })]) });
    expect(sync.lastRebase?.mode).to.equal('undo');
  });
});
