// Events of a newer app version (names this schema lacks): skipped, reported, or refused, as the
// schema's unknownEventHandling says; never lost from the eventlog.
import { expect } from 'chai';
import { nanoid } from 'nanoid';
import { encodeEventArgs } from '../core/event-args.ts';
import type { LiveEvent } from '../core/live-event.ts';
import type { LsSchema, UnknownEventHandling, UnknownEventInfo } from '../core/make-schema.ts';
import { Events, makeSchema, Schema, State } from '../index.ts';
import { loadSqlite } from '../sqlite/load-sqlite.ts';
import { SqliteDatabase } from '../sqlite/sqlite-database.ts';
import { LeaderCore } from './leader-core.ts';
import { materializeEvent } from './materialize.ts';

const items = State.SQLite.table({
  name: 'items',
  columns: { id: State.SQLite.text({ primaryKey: true }), archived: State.SQLite.boolean({ default: false }) },
});
const itemAdded = Events.synced({ name: 'itemAdded', schema: Schema.Struct({ id: Schema.String }) });
const itemArchived = Events.synced({ name: 'itemArchived', schema: Schema.Struct({ id: Schema.String }) });

function v1(unknownEventHandling?: UnknownEventHandling): LsSchema {
  const state = State.SQLite.makeState({ tables: { items }, materializers: State.SQLite.materializers({ itemAdded }, { itemAdded: ({ id }) => items.insert({ id }) }) });
  return makeSchema({ events: { itemAdded }, state, ...(unknownEventHandling === undefined ? {} : { unknownEventHandling }) });
}

function v2(): LsSchema {
  const events = { itemAdded, itemArchived };
  const state = State.SQLite.makeState({
    tables: { items },
    materializers: State.SQLite.materializers(events, {
      itemAdded: ({ id }) => items.insert({ id }),
      itemArchived: ({ id }) => items.update({ archived: true }).where({ id }),
    }),
  });
  return makeSchema({ events, state });
}

function live(schema: LsSchema, name: string, args: unknown): LiveEvent {
  return { id: nanoid(12), name, args: encodeEventArgs(schema.events.get(name)!, args), seqNum: 0, parentSeqNum: 0, clientId: 'c', sessionId: 's', createdAt: 1 };
}

/** An eventlog written by version 2 (with itemArchived), and a fresh state db to rebuild into. */
async function logOfV2(): Promise<{ api: Awaited<ReturnType<typeof loadSqlite>>; eventlogDb: SqliteDatabase }> {
  const api = await loadSqlite();
  const eventlogDb = SqliteDatabase.openInMemory(api);
  const s = v2();
  const core = new LeaderCore({ schema: s, stateDb: SqliteDatabase.openInMemory(api), eventlogDb });
  core.append([[live(s, 'itemAdded', { id: 'a' }), live(s, 'itemArchived', { id: 'a' }), live(s, 'itemAdded', { id: 'b' })]]);
  return { api, eventlogDb };
}

describe('unknown events (from a newer app version)', () => {
  it('are skipped and reported to onUnknownEvent while the others materialize; the eventlog keeps them', async () => {
    const { api, eventlogDb } = await logOfV2();
    const seen: UnknownEventInfo[] = [];
    const core = new LeaderCore({ schema: v1({ strategy: 'callback', onUnknownEvent: (e) => seen.push(e) }), stateDb: SqliteDatabase.openInMemory(api), eventlogDb });
    expect(core.stateDb.all('SELECT id, archived FROM items ORDER BY id')).to.deep.equal([{ id: 'a', archived: 0 }, { id: 'b', archived: 0 }]);
    expect(seen.map((e) => [e.name, e.args])).to.deep.equal([['itemArchived', { id: 'a' }]]);
    expect(core.eventsSince(0).map((e) => e.name)).to.deep.equal(['itemAdded', 'itemArchived', 'itemAdded']);
  });

  it('are materialized once the app is upgraded to the version that knows them (same state file)', async () => {
    const { api, eventlogDb } = await logOfV2();
    const stateDb = SqliteDatabase.openInMemory(api);
    new LeaderCore({ schema: v1({ strategy: 'ignore' }), stateDb, eventlogDb });
    const upgraded = new LeaderCore({ schema: v2(), stateDb, eventlogDb });
    expect(upgraded.lastOpen.mode).to.equal('rebuild');
    expect(upgraded.stateDb.all('SELECT id, archived FROM items ORDER BY id')).to.deep.equal([{ id: 'a', archived: 1 }, { id: 'b', archived: 0 }]);
  });

  it('fail with LS_UNKNOWN_EVENT under the fail strategy', async () => {
    const db = SqliteDatabase.openInMemory(await loadSqlite());
    const s = v1({ strategy: 'fail' });
    for (const ddl of items.createSql()) db.exec(ddl);
    expect(() => materializeEvent(db, s, live(v2(), 'itemArchived', { id: 'a' }), 's')).to.throw().with.property('code', 'LS_UNKNOWN_EVENT');
  });

  it('makeSchema refuses an unknownEventHandling that is none of the strategies (LS_INVALID_SCHEMA)', async () => {
    expect(() => v1({ strategy: 'bogus' } as unknown as UnknownEventHandling)).to.throw().with.property('code', 'LS_INVALID_SCHEMA');
  });
});
