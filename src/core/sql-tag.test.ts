import { expect } from 'chai';
import { isSqlQuery, sql } from './sql-tag.ts';
import { isLsError } from './errors.ts';

describe('sql tag', () => {
  it('turns every interpolation into a bind parameter', () => {
    const q = sql`SELECT * FROM todos WHERE id = ${'a'} AND n > ${3}`;
    expect([q.sql, q.bindValues]).to.deep.equal(['SELECT * FROM todos WHERE id = ? AND n > ?', ['a', 3]]);
    expect(isSqlQuery(q)).to.equal(true);
  });

  it('keeps hostile strings out of the SQL text', () => {
    const evil = "x'; DROP TABLE todos; --";
    const q = sql`SELECT * FROM todos WHERE id = ${evil}`;
    expect(q.sql).to.equal('SELECT * FROM todos WHERE id = ?');
    expect(q.bindValues).to.deep.equal([evil]);
  });

  it('binds booleans as 0/1, Dates as ISO text, arrays as lists, and splices fragments', () => {
    const done = sql`done = ${true}`;
    const q = sql`SELECT * FROM todos WHERE ${done} AND at < ${new Date(0)} AND id IN ${['a', 'b']}`;
    expect([q.sql, q.bindValues]).to.deep.equal([
      'SELECT * FROM todos WHERE done = ? AND at < ? AND id IN (?, ?)',
      [1, '1970-01-01T00:00:00.000Z', 'a', 'b'],
    ]);
  });

  it('converts to its SQL text only when there is nothing to bind', () => {
    expect(String(sql`SELECT 1`)).to.equal('SELECT 1');
    let code = 'none';
    try {
      String(sql`SELECT ${1}`);
    } catch (err) {
      if (isLsError(err)) code = err.code;
    }
    expect(code).to.equal('LS_INVALID_QUERY');
  });

  it('rejects values SQLite cannot bind', () => {
    let message = '';
    try {
      sql`SELECT ${undefined as never}`;
    } catch (err) {
      if (isLsError(err, 'LS_INVALID_QUERY')) message = err.message;
    }
    expect(message).to.contain('value #1 is undefined');
  });
});
