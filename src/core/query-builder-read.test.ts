import { expect } from 'chai';
import { State } from './state.ts';
import { Schema } from './schema.ts';
import { isLsError } from './errors.ts';
import { SessionIdSymbol } from './session-id-symbol.ts';
import { isQueryBuilder } from './query-builder.ts';
import type { Queryable } from './query-builder-types.ts';

const todos = State.SQLite.table({
  name: 'todos',
  columns: {
    id: State.SQLite.text({ primaryKey: true }),
    text: State.SQLite.text({ default: '' }),
    completed: State.SQLite.boolean({ default: false }),
    createdAt: State.SQLite.datetime(),
    deletedAt: State.SQLite.integer({ nullable: true, schema: Schema.DateFromNumber }),
    owner: State.SQLite.text({ nullable: true }),
  },
});

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

describe('query builder: reads', () => {
  it('selects columns', () => {
    expect(sqlOf(todos.select('id', 'text'))).to.deep.equal(['SELECT "id", "text" FROM "todos"', []]);
  });

  it('where with an object encodes values by column type', () => {
    const d = new Date('2024-01-01T00:00:00.000Z');
    expect(sqlOf(todos.where({ completed: false, createdAt: d }))).to.deep.equal([
      'SELECT * FROM "todos" WHERE "completed" = ? AND "createdAt" = ?',
      [0, '2024-01-01T00:00:00.000Z'],
    ]);
  });

  it('skips undefined values and turns null into IS NULL', () => {
    expect(sqlOf(todos.where({ text: undefined, owner: null }))).to.deep.equal(['SELECT * FROM "todos" WHERE "owner" IS NULL', []]);
    expect(sqlOf(todos.where('owner', '!=', null))).to.deep.equal(['SELECT * FROM "todos" WHERE "owner" IS NOT NULL', []]);
  });

  it('where with (column, value) and (column, op, value), chained with AND', () => {
    const d = new Date(1000);
    expect(sqlOf(todos.where('completed', true).where('createdAt', '>', d).where('deletedAt', '<=', d))).to.deep.equal([
      'SELECT * FROM "todos" WHERE "completed" = ? AND "createdAt" > ? AND "deletedAt" <= ?',
      [1, '1970-01-01T00:00:01.000Z', 1000],
    ]);
  });

  it('supports every operator', () => {
    const ops = ['=', '!=', '<', '<=', '>', '>='] as const;
    for (const op of ops) expect(sqlOf(todos.where('text', op, 'x'))[0]).to.equal(`SELECT * FROM "todos" WHERE "text" ${op} ?`);
    expect(sqlOf(todos.where('text', 'LIKE', '%a%'))).to.deep.equal(['SELECT * FROM "todos" WHERE "text" LIKE ?', ['%a%']]);
    expect(sqlOf(todos.where('text', 'not like', '%a%'))[0]).to.equal('SELECT * FROM "todos" WHERE "text" NOT LIKE ?');
    expect(sqlOf(todos.where('id', 'IN', ['a', 'b']))).to.deep.equal(['SELECT * FROM "todos" WHERE "id" IN (?, ?)', ['a', 'b']]);
    expect(sqlOf(todos.where('completed', 'NOT IN', [true]))).to.deep.equal(['SELECT * FROM "todos" WHERE "completed" NOT IN (?)', [1]]);
    expect(sqlOf(todos.where({ text: { op: 'LIKE', value: 'm%' } }))).to.deep.equal(['SELECT * FROM "todos" WHERE "text" LIKE ?', ['m%']]);
  });

  it('orders by one column or a list of terms', () => {
    expect(sqlOf(todos.orderBy('text', 'desc'))[0]).to.equal('SELECT * FROM "todos" ORDER BY "text" DESC');
    expect(sqlOf(todos.orderBy([{ col: 'completed', direction: 'asc' }, { col: 'createdAt', direction: 'desc' }]))[0]).to.equal(
      'SELECT * FROM "todos" ORDER BY "completed" ASC, "createdAt" DESC',
    );
  });

  it('binds limit and offset', () => {
    expect(sqlOf(todos.where({ completed: false }).orderBy('text', 'asc').limit(10).offset(20))).to.deep.equal([
      'SELECT * FROM "todos" WHERE "completed" = ? ORDER BY "text" ASC LIMIT ? OFFSET ?',
      [0, 10, 20],
    ]);
    expect(sqlOf(todos.offset(5))).to.deep.equal(['SELECT * FROM "todos" LIMIT -1 OFFSET ?', [5]]);
  });

  it('counts', () => {
    const q = todos.count().where({ completed: true }).asSql();
    expect([q.sql, q.bindValues]).to.deep.equal(['SELECT COUNT(*) AS "count" FROM "todos" WHERE "completed" = ?', [1]]);
    expect(q.decode([{ count: 3 }])).to.equal(3);
    expect(q.decode([{ count: 4n }])).to.equal(4);
  });

  it('first() limits to one row and decodes it, or undefined, or the fallback', () => {
    const q = todos.where({ id: 'a' }).first().asSql();
    expect([q.sql, q.bindValues]).to.deep.equal(['SELECT * FROM "todos" WHERE "id" = ? LIMIT ?', ['a', 1]]);
    expect(q.decode([])).to.equal(undefined);
    const raw = { id: 'a', text: 't', completed: 1, createdAt: '2024-01-01T00:00:00.000Z', deletedAt: null, owner: null };
    expect(q.decode([raw])).to.deep.include({ id: 'a', completed: true });
    expect(todos.first({ fallback: () => 'none' }).asSql().decode([])).to.equal('none');
  });

  it('decodes rows, picked columns, and plucks a single selected column (as LiveStore)', () => {
    const raw = { id: 'a', text: 't', completed: 0, createdAt: '2024-01-01T00:00:00.000Z', deletedAt: 7, owner: null };
    const [row] = todos.where({ completed: false }).asSql().decode([raw]);
    expect(row?.completed).to.equal(false);
    expect(row?.deletedAt?.getTime()).to.equal(7);
    expect(todos.select('id', 'completed').asSql().decode([{ id: 'a', completed: 1 }])).to.deep.equal([{ id: 'a', completed: true }]);
    expect(todos.select('completed').asSql().decode([{ completed: 1 }, { completed: 0 }])).to.deep.equal([true, false]);
  });

  it('is immutable: extending a builder leaves it unchanged', () => {
    const open = todos.where({ completed: false });
    open.limit(1);
    expect(open.asSql().sql).to.equal('SELECT * FROM "todos" WHERE "completed" = ?');
    expect(isQueryBuilder(open)).to.equal(true);
    expect(isQueryBuilder({ asSql: () => 'x' })).to.equal(false);
    expect(String(open)).to.equal('SELECT * FROM "todos" WHERE "completed" = ?');
  });

  it('marks reads with kind and table', () => {
    const q = todos.asSql();
    expect([q.kind, q.table]).to.deep.equal(['read', 'todos']);
  });

  it('keeps hostile values in bind values, never in the SQL text', () => {
    const evil = "x' OR 1=1; DROP TABLE todos; --";
    const q = todos.where({ id: evil }).where('text', 'LIKE', evil).where('owner', 'IN', [evil]).asSql();
    expect(q.sql).to.equal('SELECT * FROM "todos" WHERE "id" = ? AND "text" LIKE ? AND "owner" IN (?)');
    expect(q.bindValues).to.deep.equal([evil, evil, evil]);
  });

  it('resolves SessionIdSymbol at compile time and refuses to compile without a session id', () => {
    const q = todos.where({ owner: SessionIdSymbol });
    expect(q.asSql({ sessionId: 's-1' }).bindValues).to.deep.equal(['s-1']);
    expect(queryError(() => q.asSql())).to.contain('SessionIdSymbol');
  });

  it('rejects unknown columns, unknown operators and bad limits with LS_INVALID_QUERY', () => {
    expect(queryError(() => todos.where({ nope: 1 } as never))).to.contain('there is no column "nope"');
    expect(queryError(() => todos.select('nope' as never))).to.contain('no column "nope"');
    expect(queryError(() => todos.orderBy('nope' as never))).to.contain('no column "nope"');
    expect(queryError(() => todos.where('text', '~=' as never, 'x'))).to.contain('is not a where operator');
    expect(queryError(() => todos.limit(-1))).to.contain('non-negative integer');
    expect(queryError(() => todos.limit(1.5))).to.contain('non-negative integer');
    expect(queryError(() => todos.offset(Number.NaN))).to.contain('non-negative integer');
    expect(queryError(() => todos.where('id', 'IN', 'a' as never))).to.contain('needs an array');
    expect(queryError(() => todos.where('text', '<', null as never))).to.contain('null can only be compared');
    expect(queryError(() => todos.where({ completed: 'yes' } as never))).to.contain('invalid value for column "completed"');
    expect(queryError(() => todos.orderBy('text', 'up' as never))).to.contain("'asc' or 'desc'");
  });

  it('rejects chains that make no sense, for plain-JS callers', () => {
    const anyCount = todos.count() as unknown as { limit(n: number): unknown };
    expect(queryError(() => anyCount.limit(1))).to.contain('limit() cannot be used on a count query');
    const anyFirst = todos.first() as unknown as { select(c: string): unknown };
    expect(queryError(() => anyFirst.select('id'))).to.contain('cannot follow first()');
  });
});
