import { expect } from 'chai';
import { State } from './state.ts';
import { isLsError } from './errors.ts';
import type { Queryable } from './query-builder-types.ts';

const todos = State.SQLite.table({
  name: 'todos',
  columns: {
    id: State.SQLite.text({ primaryKey: true }),
    text: State.SQLite.text({ default: '' }),
    completed: State.SQLite.boolean({ default: false }),
    createdAt: State.SQLite.datetime(),
    note: State.SQLite.text({ nullable: true }),
  },
});
const at = new Date('2024-01-01T00:00:00.000Z');
const iso = '2024-01-01T00:00:00.000Z';

function sqlOf(q: Queryable): [string, readonly unknown[]] {
  const c = q.asSql();
  return [c.sql, c.bindValues];
}

function queryError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isLsError(err, 'LS_INVALID_QUERY')) return err.message;
    throw err;
  }
  return 'no error';
}

describe('query builder: writes', () => {
  it('inserts in column order, filling defaults and leaving out omitted nullable columns', () => {
    const q = todos.insert({ createdAt: at, id: 'a' }).asSql();
    expect([q.sql, q.bindValues]).to.deep.equal([
      'INSERT INTO "todos" ("id", "text", "completed", "createdAt") VALUES (?, ?, ?, ?)',
      ['a', '', 0, iso],
    ]);
    expect([q.kind, q.table]).to.deep.equal(['write', 'todos']);
    expect(q.decode([])).to.equal(undefined);
  });

  it('inserts with onConflict ignore, replace and update', () => {
    const insert = todos.insert({ id: 'a', text: 'x', createdAt: at });
    const values = 'INSERT INTO "todos" ("id", "text", "completed", "createdAt") VALUES (?, ?, ?, ?)';
    expect(sqlOf(insert.onConflict('id', 'ignore'))).to.deep.equal([`${values} ON CONFLICT ("id") DO NOTHING`, ['a', 'x', 0, iso]]);
    expect(sqlOf(insert.onConflict('id', 'replace'))[0]).to.equal(
      `${values} ON CONFLICT ("id") DO UPDATE SET "text" = excluded."text", "completed" = excluded."completed", "createdAt" = excluded."createdAt", "note" = excluded."note"`,
    );
    expect(sqlOf(insert.onConflict('id', 'update', { text: 'y', completed: true }))).to.deep.equal([
      `${values} ON CONFLICT ("id") DO UPDATE SET "text" = ?, "completed" = ?`,
      ['a', 'x', 0, iso, 'y', 1],
    ]);
    expect(sqlOf(insert.onConflict(['id', 'text'], 'ignore'))[0]).to.equal(`${values} ON CONFLICT ("id", "text") DO NOTHING`);
  });

  it('updates with where', () => {
    expect(sqlOf(todos.update({ completed: true, note: null }).where({ id: 'a' }))).to.deep.equal([
      'UPDATE "todos" SET "completed" = ?, "note" = ? WHERE "id" = ?',
      [1, null, 'a'],
    ]);
  });

  it('skips undefined values in update', () => {
    expect(sqlOf(todos.update({ text: 'x', note: undefined }))).to.deep.equal(['UPDATE "todos" SET "text" = ?', ['x']]);
  });

  it('deletes with where', () => {
    expect(sqlOf(todos.delete().where({ completed: true }))).to.deep.equal(['DELETE FROM "todos" WHERE "completed" = ?', [1]]);
  });

  it('returns and decodes columns with returning', () => {
    const q = todos.delete().where({ id: 'a' }).returning('id', 'completed').asSql();
    expect(q.sql).to.equal('DELETE FROM "todos" WHERE "id" = ? RETURNING "id", "completed"');
    expect(q.decode([{ id: 'a', completed: 1 }])).to.deep.equal([{ id: 'a', completed: true }]);
  });

  it('keeps hostile values in bind values in inserts and updates', () => {
    const evil = "'); DROP TABLE todos; --";
    const q = todos.insert({ id: evil, text: evil, createdAt: at }).onConflict('id', 'update', { text: evil }).asSql();
    expect(q.sql).to.not.contain('DROP');
    expect(q.bindValues.filter((v) => v === evil)).to.have.length(3);
    expect(todos.update({ text: evil }).where({ id: evil }).asSql().sql).to.equal('UPDATE "todos" SET "text" = ? WHERE "id" = ?');
  });

  it('rejects missing required columns, unknown columns and empty updates', () => {
    expect(queryError(() => todos.insert({ id: 'a' } as never))).to.contain('missing "createdAt"');
    expect(queryError(() => todos.insert({ id: 'a', createdAt: at, nope: 1 } as never))).to.contain('no column "nope"');
    expect(queryError(() => todos.update({}))).to.contain('at least one column');
    expect(queryError(() => todos.insert({ id: 'a', createdAt: at }).onConflict('nope' as never, 'ignore'))).to.contain('no column "nope"');
    expect(queryError(() => todos.insert({ id: 'a', createdAt: at }).onConflict('id', 'merge' as never))).to.contain("'ignore', 'replace' or 'update'");
    expect(queryError(() => todos.insert({ id: 'a', createdAt: 'today' as never }))).to.contain('invalid value for column "createdAt"');
  });

  it('starts writes from the table only', () => {
    const filtered = todos.where({ id: 'a' }) as unknown as { update(v: object): unknown };
    expect(queryError(() => filtered.update({ text: 'x' }))).to.contain('must be called on the table itself');
  });
});
