// LeaderCore when the storage fails (the OPFS quota, an I/O error), on real SQLite: a full disk is
// SQLite's own SQLITE_FULL from `PRAGMA max_page_count`; a commit that fails after the eventlog's
// is a state db whose transaction throws after its work (and so rolls back). Nothing stored may
// change, nothing may be half-written, and the core must go on once the storage works again.
import { expect } from 'chai';
import type { LiveEvent } from '../core/live-event.ts';
import { encodeEventArgs } from '../core/event-args.ts';
import { loadSqlite } from '../sqlite/load-sqlite.ts';
import { SqliteDatabase } from '../sqlite/sqlite-database.ts';
import { SqliteError } from '../sqlite/sqlite-error.ts';
import { LeaderCore } from './leader-core.ts';
import { storageError } from './storage-error.ts';
import { events, schema } from '../../test/fixtures/todo-schema.ts';

let n = 0;
function created(text = 'x'.repeat(2000)): LiveEvent {
  n++;
  const def = schema.events.get('v1.TodoCreated')!;
  return { id: `e${n}`, name: 'v1.TodoCreated', args: encodeEventArgs(def, events.todoCreated({ id: `t${n}`, text }).args), seqNum: 0, parentSeqNum: 0, clientId: 'c', sessionId: 's', createdAt: 1 };
}

const count = (db: SqliteDatabase, table: string): number => Number(db.get(`SELECT count(*) AS n FROM ${table}`)?.['n']);
/** No page more than the database has now: the next write that needs one fails with SQLITE_FULL. */
const fill = (db: SqliteDatabase): void => db.exec(`PRAGMA max_page_count = ${Number(db.get('PRAGMA page_count')?.['page_count'])}`);
const unfill = (db: SqliteDatabase): void => db.exec('PRAGMA max_page_count = 1073741823');

async function setup() {
  const api = await loadSqlite();
  const real = SqliteDatabase.openInMemory(api);
  const eventlogDb = SqliteDatabase.openInMemory(api);
  // State transactions fail after their work while `failCommits` > 0 (a COMMIT the disk refused).
  let failCommits = 0;
  const stateDb = new Proxy(real, {
    get(target, prop) {
      if (prop === 'transaction') {
        return <T>(fn: () => T): T => target.transaction(() => {
          const result = fn();
          if (failCommits > 0) {
            failCommits--;
            throw new SqliteError('disk I/O error', 778);
          }
          return result;
        });
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const logs: string[] = [];
  const core = new LeaderCore({ schema, stateDb, eventlogDb, log: (level, message) => logs.push(`${level}: ${message}`) });
  return { core, stateDb: real, eventlogDb, logs, failNextStateCommits: (k: number) => { failCommits = k; } };
}

function todosIn(image: Uint8Array, api: Awaited<ReturnType<typeof loadSqlite>>): number {
  const db = SqliteDatabase.openInMemory(api);
  try {
    db.deserialize(image);
    return count(db, 'todos');
  } finally {
    db.close();
  }
}

describe('LeaderCore when the storage fails', () => {
  it('writes nothing when the eventlog is full, then goes on where it stopped', async () => {
    const { core, stateDb, eventlogDb } = await setup();
    core.append([[created()], [created()]]);
    fill(eventlogDb);
    let err: unknown;
    try {
      core.append(Array.from({ length: 20 }, () => [created()]));
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(SqliteError);
    expect(storageError(err).code).to.equal('LS_STORAGE_FULL');
    expect(core.head).to.equal(2);
    expect(count(eventlogDb, '__ls_eventlog')).to.equal(2);
    expect(count(stateDb, 'todos')).to.equal(2);
    unfill(eventlogDb);
    const r = core.append([[created()]]);
    expect(r.head).to.equal(3);
    expect(r.groups[0]!.events[0]!.parentSeqNum).to.equal(2);
    expect(count(stateDb, 'todos')).to.equal(3);
  });

  it('fails the whole batch when the state fills up in the middle of it: no group is written on its own', async () => {
    const { core, stateDb, eventlogDb } = await setup();
    core.append([[created('small')]]);
    fill(stateDb);
    // The first groups may fit in the pages the state has; a later one needs a new page and fails.
    // SQLite may roll the whole transaction back then, so going on with the next group would
    // write it outside any transaction: the core must stop instead.
    expect(() => core.append(Array.from({ length: 30 }, () => [created()]))).to.throw(SqliteError);
    expect(core.head).to.equal(1);
    expect(count(eventlogDb, '__ls_eventlog')).to.equal(1);
    expect(count(stateDb, 'todos')).to.equal(1);
    expect(stateDb.inTransaction).to.equal(false);
    unfill(stateDb);
    expect(core.append([[created()]]).head).to.equal(2);
  });

  it('keeps events whose eventlog commit succeeded when the state commit fails, and catches the state up', async () => {
    const api = await loadSqlite();
    const { core, stateDb, eventlogDb, logs, failNextStateCommits } = await setup();
    core.append([[created()]]);
    failNextStateCommits(1);
    const r = core.append([[created()], [created()]]);
    // Durable in the eventlog: appended, whatever the state did.
    expect(r.groups.every((g) => g.error === undefined && g.events.length === 1)).to.equal(true);
    expect(core.head).to.equal(3);
    expect(count(eventlogDb, '__ls_eventlog')).to.equal(3);
    expect(count(stateDb, 'todos')).to.equal(1);
    expect(core.stateBehind).to.equal(true);
    expect(logs.some((l) => l.startsWith('error: the state database could not commit'))).to.equal(true);
    // A tab booting now gets an image that matches the head, even while the disk still refuses.
    failNextStateCommits(1);
    const snap = core.snapshot();
    expect(snap.head).to.equal(3);
    expect(todosIn(snap.image, api)).to.equal(3);
    expect(core.stateBehind).to.equal(true);
    // The next write catches the state up on disk first.
    core.append([[created()]]);
    expect(core.stateBehind).to.equal(false);
    expect(count(stateDb, 'todos')).to.equal(4);
    expect(Number(stateDb.get('SELECT head FROM __ls_state WHERE id = 1')?.['head'])).to.equal(4);
  });

  it('says LS_STORAGE_FULL for a full disk and LS_STORAGE_ERROR for other storage failures', () => {
    expect(storageError(new SqliteError('database or disk is full', 13)).code).to.equal('LS_STORAGE_FULL');
    expect(storageError(new SqliteError('disk I/O error', 778)).code).to.equal('LS_STORAGE_ERROR');
  });
});
