// A tab follows a leader's sync rebase by the net changeset the leader sends: it undoes its own
// pending events, applies the changes, and puts its pending events back on top; when it is not
// where the changes start, or they do not fit its copy, it changes nothing (and asks for the image).
import { expect } from 'chai';
import type { LiveEvent } from '../core/live-event.ts';
import { loadSqlite } from '../sqlite/load-sqlite.ts';
import { SqliteDatabase } from '../sqlite/sqlite-database.ts';
import type { LeaderCore } from '../leader/leader-core.ts';
import { SessionLog } from './session-log.ts';
import { events, schema } from '../../test/fixtures/todo-schema.ts';
import { leader, live, stateOf, upstream } from '../../test/fixtures/rebase-leader.ts';

describe('a tab following a leader rebase by its net changeset', () => {
  /** A tab's commit is numbered on its own head. */
  const numbered = (log: SessionLog, e: LiveEvent): LiveEvent => ({ ...e, seqNum: log.localHead + 1, parentSeqNum: log.localHead });

  /** A tab's session booted from the leader's image, as the web adapter boots one. */
  async function tab(core: LeaderCore): Promise<{ log: SessionLog; db: SqliteDatabase }> {
    const db = SqliteDatabase.openInMemory(await loadSqlite());
    db.deserialize(core.snapshot().image);
    return { log: new SessionLog({ db: () => db, schema, sessionId: 'tab', head: core.head }), db };
  }

  it('ends with the leader\'s state plus its own unsent commits on top, without an image', async () => {
    const { core, sync, resets } = await leader();
    sync.receiveUpstream({ _tag: 'upstream-advance', events: upstream(0, [events.todoCreated({ id: 'shared', text: 's' }), events.todoCreated({ id: 'old', text: 'o' })]) });
    const t = await tab(core);
    // The leader holds a pending event of this tab (already announced to it)…
    const sent = numbered(t.log, live(events.todoCompleted({ id: 'shared' })));
    t.log.commitLocal([sent]);
    const appended = core.append([[sent]]);
    t.log.applyAppended(appended.groups[0]!.events.map(({ clientOnly: _c, ...e }) => e));
    // …and the tab has one the leader has not seen yet.
    const unsent = numbered(t.log, live(events.todoCreated({ id: 'unsent', text: 'u' })));
    t.log.commitLocal([unsent]);
    // Another client's events land first: the leader rebases.
    sync.receiveUpstream({ _tag: 'upstream-advance', events: upstream(2, [events.todoUncompleted({ id: 'shared' }), events.todoDeleted({ id: 'old', deletedAt: new Date(9) })]) });
    const r = resets.at(-1);
    expect(r?.base).to.equal(3);
    const out = t.log.rebase(r!.changes, r!.base, core.head);
    expect(out?.rebased).to.equal(true);
    const expected = [...stateOf(core.stateDb), { id: 'unsent', text: 'u', completed: 0, deletedAt: null }].sort((a, b) => String(a['id']).localeCompare(String(b['id'])));
    expect(stateOf(t.db)).to.deep.equal(expected);
    expect(t.log.state.upstreamHead).to.equal(core.head);
    expect(t.log.state.pending.map((e) => [e.id, e.seqNum])).to.deep.equal([[unsent.id, core.head + 1]]);
  });

  it('refuses, changing nothing, when it is not at the base the changes start from', async () => {
    const { core, sync, resets } = await leader();
    const t = await tab(core);
    core.append([[live(events.todoCreated({ id: 'mine', text: 'm' }))]]); // the tab has not heard of it
    sync.receiveUpstream({ _tag: 'upstream-advance', events: upstream(0, [events.todoCreated({ id: 'a', text: 'a' })]) });
    const before = stateOf(t.db);
    expect(t.log.rebase(resets.at(-1)!.changes, resets.at(-1)!.base, core.head)).to.equal(undefined);
    expect(stateOf(t.db)).to.deep.equal(before);
    expect(t.log.state.upstreamHead).to.equal(0);
  });

  it('refuses, changing nothing, when the changes do not fit its state', async () => {
    const { core, sync, resets } = await leader();
    sync.receiveUpstream({ _tag: 'upstream-advance', events: upstream(0, [events.todoCreated({ id: 'a', text: 'a' })]) });
    const t = await tab(core);
    const mine = live(events.todoCompleted({ id: 'a' }));
    const appended = core.append([[mine]]);
    t.log.applyAppended(appended.groups[0]!.events.map(({ clientOnly: _c, ...e }) => e));
    t.db.run('DELETE FROM todos'); // this copy drifted from the leader's
    sync.receiveUpstream({ _tag: 'upstream-advance', events: upstream(1, [events.todoDeleted({ id: 'a', deletedAt: new Date(3) })]) });
    expect(resets.at(-1)!.changes).to.not.equal(null);
    expect(t.log.rebase(resets.at(-1)!.changes, resets.at(-1)!.base, core.head)).to.equal(undefined);
    expect(stateOf(t.db)).to.deep.equal([]);
  });
});
