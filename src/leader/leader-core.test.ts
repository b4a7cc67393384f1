// LeaderCore on real SQLite: numbering, dedupe, all-or-nothing groups, catch-up, rebuilds, cost.
import { expect } from 'chai';
import { nanoid } from 'nanoid';
import type { LiveEvent } from '../core/live-event.ts';
import type { LsSchema } from '../core/make-schema.ts';
import { encodeEventArgs } from '../core/event-args.ts';
import { loadSqlite } from '../sqlite/load-sqlite.ts';
import { SqliteDatabase } from '../sqlite/sqlite-database.ts';
import { LeaderCore } from './leader-core.ts';
import { events, schema } from '../../test/fixtures/todo-schema.ts';
import { Events, makeSchema, Schema, State } from '../index.ts';

async function dbs(): Promise<{ stateDb: SqliteDatabase; eventlogDb: SqliteDatabase }> {
  const api = await loadSqlite();
  return { stateDb: SqliteDatabase.openInMemory(api), eventlogDb: SqliteDatabase.openInMemory(api) };
}

function live(input: { name: string; args: unknown }, id = nanoid(12)): LiveEvent {
  const def = schema.events.get(input.name)!;
  return { id, name: input.name, args: encodeEventArgs(def, input.args), seqNum: 0, parentSeqNum: 0, clientId: 'c1', sessionId: 's1', createdAt: Date.now() };
}

const created = (id: string) => live(events.todoCreated({ id, text: `todo ${id}` }));

function reopen(d: { stateDb: SqliteDatabase; eventlogDb: SqliteDatabase }, s: LsSchema = schema): LeaderCore {
  return new LeaderCore({ schema: s, stateDb: d.stateDb, eventlogDb: d.eventlogDb });
}

describe('LeaderCore', () => {
  it('numbers appended events after its head and materializes them', async () => {
    const core = reopen(await dbs());
    const r = core.append([[created('a'), created('b')], [created('c')]]);
    expect(r.head).to.equal(3);
    expect(r.groups.map((g) => g.events.map((e) => [e.parentSeqNum, e.seqNum]))).to.deep.equal([[[0, 1], [1, 2]], [[2, 3]]]);
    expect(core.stateDb.all('SELECT id FROM todos ORDER BY id')).to.deep.equal([{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
    expect([...r.writtenTables]).to.deep.equal(['todos']);
  });

  it('acknowledges a resent event without storing it twice', async () => {
    const core = reopen(await dbs());
    const e = created('a');
    core.append([[e]]);
    const again = core.append([[e]]);
    expect(again.head).to.equal(1);
    expect(again.groups[0]!.events[0]!.seqNum).to.equal(1);
    expect(core.eventsSince(0)).to.have.length(1);
  });

  it('drops a failing group entirely and keeps the others', async () => {
    const core = reopen(await dbs());
    const dup = created('a');
    const r = core.append([[created('x')], [created('y'), { ...created('a'), args: { id: 'x', text: 'same primary key' } }], [dup]]);
    expect(r.groups[1]!.error?.code).to.equal('LS_MATERIALIZER_FAILED');
    expect(r.groups[1]!.events).to.deep.equal([]);
    expect(core.stateDb.all('SELECT id FROM todos ORDER BY id')).to.deep.equal([{ id: 'a' }, { id: 'x' }]);
    expect(core.eventsSince(0).map((e) => e.seqNum)).to.deep.equal([1, 2]);
  });

  it('reopens by catching up only the events the state has not seen', async () => {
    const d = await dbs();
    const core = reopen(d);
    core.append([[created('a'), created('b')]]);
    // simulate a crash after the eventlog committed and before the state did: roll the state head back
    d.stateDb.run('UPDATE __ls_state SET head = 1');
    d.stateDb.run("DELETE FROM todos WHERE id = 'b'");
    const again = reopen(d);
    expect(again.lastOpen).to.deep.equal({ mode: 'catch-up', materialized: 1 });
    expect(again.stateDb.all('SELECT id FROM todos ORDER BY id')).to.deep.equal([{ id: 'a' }, { id: 'b' }]);
  });

  it('does not replay the log when the state is current', async () => {
    const d = await dbs();
    const core = reopen(d);
    for (let i = 0; i < 50; i++) core.append([[created(`t${i}`)]]);
    const again = reopen(d);
    expect(again.lastOpen).to.deep.equal({ mode: 'catch-up', materialized: 0 });
    expect(again.head).to.equal(50);
  });

  it('rebuilds the state from the eventlog when the schema changes', async () => {
    const d = await dbs();
    reopen(d).append([[created('a'), created('b')]]);
    const todos = State.SQLite.table({
      name: 'todos',
      columns: { id: State.SQLite.text({ primaryKey: true }), text: State.SQLite.text({ default: '' }), completed: State.SQLite.boolean({ default: false }), starred: State.SQLite.boolean({ default: false }) },
    });
    const todoCreated = Events.synced({ name: 'v1.TodoCreated', schema: Schema.Struct({ id: Schema.String, text: Schema.String }) });
    const v2 = makeSchema({
      events: { todoCreated },
      state: State.SQLite.makeState({ tables: { todos }, materializers: State.SQLite.materializers({ todoCreated }, { 'v1.TodoCreated': ({ id, text }) => todos.insert({ id, text, starred: true }) }) }),
    });
    expect(v2.hash).to.not.equal(schema.hash);
    const core = reopen(d, v2);
    expect(core.lastOpen).to.deep.equal({ mode: 'rebuild', materialized: 2 });
    expect(core.stateDb.all('SELECT id, starred FROM todos ORDER BY id')).to.deep.equal([{ id: 'a', starred: 1 }, { id: 'b', starred: 1 }]);
  });

  it('restarts a rebuild that was interrupted before its completion marker', async () => {
    const d = await dbs();
    reopen(d).append([[created('a'), created('b')]]);
    d.stateDb.run('UPDATE __ls_state SET rebuild_complete = 0, head = 1');
    const core = reopen(d);
    expect(core.lastOpen.mode).to.equal('rebuild');
    expect(core.stateDb.get('SELECT count(*) AS n FROM todos')).to.deep.equal({ n: 2 });
  });

  it('rebuilds a corrupted state instead of failing', async () => {
    const d = await dbs();
    reopen(d).append([[created('a')]]);
    d.stateDb.exec('DROP TABLE __ls_state; CREATE TABLE __ls_state (nonsense TEXT)');
    const core = reopen(d);
    expect(core.lastOpen.mode).to.equal('rebuild');
    expect(core.stateDb.get('SELECT count(*) AS n FROM todos')).to.deep.equal({ n: 1 });
  });

  it('runs the same number of statements per append with 10 or 2,000 events in the log', async () => {
    const cost = async (existing: number): Promise<number> => {
      const d = await dbs();
      const core = reopen(d);
      for (let i = 0; i < existing; i += 100) core.append([Array.from({ length: Math.min(100, existing - i) }, (_, j) => created(`t${i + j}`))]);
      core.append([[created('warm')]]);
      const before = d.stateDb.stats.statementsRun + d.eventlogDb.stats.statementsRun;
      core.append([[live(events.todoCompleted({ id: 't1' }))]]);
      return d.stateDb.stats.statementsRun + d.eventlogDb.stats.statementsRun - before;
    };
    const small = await cost(10);
    const large = await cost(2000);
    expect(small).to.be.greaterThan(0);
    expect(large).to.equal(small);
  });
});
