import { expect } from 'chai';
import { State } from './state.ts';
import { Events } from './events.ts';
import { Schema } from './schema.ts';
import { sql } from './sql-tag.ts';
import { isLsError } from './errors.ts';
import { normalizeMaterializerResult } from './materializers.ts';

const todos = State.SQLite.table({ name: 'todos', columns: { id: State.SQLite.text({ primaryKey: true }), done: State.SQLite.boolean({ default: false }) } });

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isLsError(err, 'LS_MATERIALIZER_FAILED')) return err.message;
    throw err;
  }
  return 'no error';
}

describe('materializers', () => {
  it('keys handlers by event name, whether given by name or by record key', () => {
    const events = {
      created: Events.synced({ name: 'v1.Created', schema: Schema.Struct({ id: Schema.String }) }),
      done: Events.synced({ name: 'v1.Done', schema: Schema.Struct({ id: Schema.String }) }),
    };
    const m = State.SQLite.materializers(events, {
      'v1.Created': ({ id }) => todos.insert({ id }),
      done: ({ id }) => todos.update({ done: true }).where({ id }),
    });
    expect(Object.keys(m)).to.deep.equal(['v1.Created', 'v1.Done']);
  });

  it('turns builders, arrays, raw SQL and nothing into statements', () => {
    const opts = { eventName: 'e' };
    expect(normalizeMaterializerResult(undefined, opts)).to.deep.equal([]);
    expect(normalizeMaterializerResult(todos.insert({ id: 'a' }), opts)).to.deep.equal([
      { sql: 'INSERT INTO "todos" ("id", "done") VALUES (?, ?)', bindValues: ['a', 0], writeTables: ['todos'] },
    ]);
    const [first, second, third] = normalizeMaterializerResult(
      [todos.delete().where({ id: 'a' }), { sql: 'DELETE FROM todos', writeTables: new Set(['todos']) }, sql`UPDATE todos SET done = ${true}`],
      opts,
    );
    expect(first?.sql).to.equal('DELETE FROM "todos" WHERE "id" = ?');
    expect(second).to.deep.equal({ sql: 'DELETE FROM todos', bindValues: [], writeTables: ['todos'] });
    expect(third).to.deep.equal({ sql: 'UPDATE todos SET done = ?', bindValues: [1], writeTables: undefined });
  });

  it('refuses read queries, promises and other values with LS_MATERIALIZER_FAILED', () => {
    expect(failure(() => normalizeMaterializerResult(todos.where({ id: 'a' }), { eventName: 'e' }))).to.contain('returned a read query');
    expect(failure(() => normalizeMaterializerResult(Promise.resolve(), { eventName: 'e' }))).to.contain('synchronous');
    expect(failure(() => normalizeMaterializerResult(42, { eventName: 'e' }))).to.contain("event 'e' returned number");
  });

  it('passes the session id on when compiling builders', () => {
    const docs = State.SQLite.table({ name: 'docs', columns: { id: State.SQLite.text({ primaryKey: true }) } });
    const sessionSymbol = Symbol.for('ls-elements/session-id') as never;
    const [stmt] = normalizeMaterializerResult(docs.insert({ id: sessionSymbol }), { eventName: 'e', sessionId: 's9' });
    expect(stmt?.bindValues).to.deep.equal(['s9']);
  });
});
