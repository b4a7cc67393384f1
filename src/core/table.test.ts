import { expect } from 'chai';
import { State } from './state.ts';
import { Schema } from './schema.ts';
import { isLsError } from './errors.ts';
import { isQueryBuilder } from './query-builder.ts';

function error(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (isLsError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  return { code: 'no error', message: '' };
}

const { table, text, integer, boolean, json, datetime } = State.SQLite;

describe('State.SQLite.table', () => {
  const todos = table({
    name: 'todos',
    columns: {
      id: text({ primaryKey: true }),
      text: text({ default: "it's" }),
      completed: boolean({ default: false }),
      deletedAt: integer({ nullable: true, schema: Schema.DateFromNumber }),
      tags: json({ schema: Schema.Array(Schema.String), default: [] }),
      createdAt: datetime(),
    },
    indexes: [{ name: 'todos_created', columns: ['createdAt'] }, { name: 'todos_text', columns: ['text', 'id'], isUnique: true }],
  });

  it('creates its table and indexes with IF NOT EXISTS, quoted names, types, NOT NULL and escaped defaults', () => {
    expect(todos.createSql()).to.deep.equal([
      'CREATE TABLE IF NOT EXISTS "todos" ("id" TEXT PRIMARY KEY NOT NULL, "text" TEXT NOT NULL DEFAULT \'it\'\'s\', ' +
        '"completed" INTEGER NOT NULL DEFAULT 0, "deletedAt" INTEGER, "tags" TEXT NOT NULL DEFAULT \'[]\', "createdAt" TEXT NOT NULL)',
      'CREATE INDEX IF NOT EXISTS "todos_created" ON "todos" ("createdAt")',
      'CREATE UNIQUE INDEX IF NOT EXISTS "todos_text" ON "todos" ("text", "id")',
    ]);
  });

  it('gives the same DDL every time', () => {
    expect(todos.createSql()).to.deep.equal(todos.createSql());
  });

  it('supports a composite primary key and auto-increment', () => {
    const members = table({ name: 'members', columns: { team: text(), user: text() }, primaryKey: ['team', 'user'] });
    expect(members.createSql()[0]).to.equal('CREATE TABLE IF NOT EXISTS "members" ("team" TEXT NOT NULL, "user" TEXT NOT NULL, PRIMARY KEY ("team", "user"))');
    const log = table({ name: 'log', columns: { n: integer({ primaryKey: true, autoIncrement: true }) } });
    expect(log.createSql()[0]).to.equal('CREATE TABLE IF NOT EXISTS "log" ("n" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL)');
  });

  it('quotes names that contain quotes', () => {
    const t = table({ name: 'we"ird', columns: { 'a"b': text({ primaryKey: true }) } });
    expect(t.createSql()[0]).to.equal('CREATE TABLE IF NOT EXISTS "we""ird" ("a""b" TEXT PRIMARY KEY NOT NULL)');
  });

  it('decodes a raw row by column type', () => {
    const row = todos.decodeRow({ id: 'a', text: 't', completed: 1, deletedAt: 5, tags: '["x"]', createdAt: '2024-01-01T00:00:00.000Z' });
    expect(row).to.deep.equal({ id: 'a', text: 't', completed: true, deletedAt: new Date(5), tags: ['x'], createdAt: new Date('2024-01-01T00:00:00.000Z') });
  });

  it('names the table and column when a stored value cannot be decoded', () => {
    const e = error(() => todos.decodeRow({ id: 'a', text: 't', completed: 7, deletedAt: null, tags: '[]', createdAt: '2024-01-01T00:00:00.000Z' }));
    expect(e.code).to.equal('LS_DECODE_FAILED');
    expect(e.message).to.contain('Table "todos", column "completed"');
  });

  it('offers a row schema that decodes raw rows inside Schema.Array', () => {
    const rows = Schema.Array(todos.rowSchema).decode([{ id: 'a', text: 't', completed: 0, deletedAt: null, tags: '[]', createdAt: '2024-01-01T00:00:00.000Z' }]);
    expect(rows[0]?.completed).to.equal(false);
  });

  it('is itself a query: SELECT * on its table', () => {
    expect(isQueryBuilder(todos)).to.equal(true);
    expect(todos.asSql().sql).to.equal('SELECT * FROM "todos"');
  });

  it('rejects a table without a primary key, explaining why', () => {
    const e = error(() => table({ name: 'notes', columns: { body: text() } }));
    expect(e.code).to.equal('LS_INVALID_SCHEMA');
    expect(e.message).to.contain('needs a primary key');
  });

  it('rejects reserved names, unknown index columns, and defaults that do not fit', () => {
    expect(error(() => table({ name: 'sqlite_x', columns: { id: text({ primaryKey: true }) } })).code).to.equal('LS_INVALID_SCHEMA');
    expect(error(() => table({ name: '__ls_x', columns: { id: text({ primaryKey: true }) } })).code).to.equal('LS_INVALID_SCHEMA');
    expect(error(() => table({ name: 't', columns: { id: text({ primaryKey: true }) }, indexes: [{ name: 'i', columns: ['nope'] }] })).code).to.equal('LS_INVALID_SCHEMA');
    expect(error(() => table({ name: 't', columns: { id: text({ primaryKey: true }), n: integer({ default: 1.5 }) } })).message).to.contain('default of column "n"');
    expect(error(() => table({ name: 't', columns: { a: text({ primaryKey: true }), b: text({ primaryKey: true }) } })).message).to.contain('composite');
  });
});
