import { expect } from 'chai';
import { blob, boolean, datetime, datetimeInteger, integer, json, real, text } from './columns.ts';
import { Schema } from './schema.ts';
import { isLsError } from './errors.ts';
import type { StandardSchemaV1 } from './standard-schema.ts';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isLsError(err)) return err.code;
    throw err;
  }
  return 'no error';
}

describe('column types', () => {
  it('text stores strings', () => {
    const c = text();
    expect([c.sqlType, c.encode('a'), c.decode('a')]).to.deep.equal(['TEXT', 'a', 'a']);
    expect(code(() => c.encode(5 as never))).to.equal('LS_INVALID_QUERY');
  });

  it('integer stores integers and decodes safe bigints as numbers', () => {
    const c = integer();
    expect([c.sqlType, c.encode(7), c.decode(7n)]).to.deep.equal(['INTEGER', 7, 7]);
    expect(code(() => c.encode(1.5))).to.equal('LS_INVALID_QUERY');
    expect(code(() => c.decode(2n ** 60n))).to.equal('LS_DECODE_FAILED');
  });

  it('real stores finite numbers', () => {
    const c = real();
    expect([c.sqlType, c.encode(1.5), c.decode(1.5)]).to.deep.equal(['REAL', 1.5, 1.5]);
    expect(code(() => c.encode(Number.POSITIVE_INFINITY))).to.equal('LS_INVALID_QUERY');
  });

  it('blob stores Uint8Arrays', () => {
    const c = blob();
    const bytes = new Uint8Array([1, 2, 3]);
    expect(c.sqlType).to.equal('BLOB');
    expect(c.encode(bytes)).to.equal(bytes);
    expect(c.decode(bytes)).to.equal(bytes);
  });

  it('boolean stores 0/1 and reads them back as booleans', () => {
    const c = boolean();
    expect([c.sqlType, c.encode(true), c.encode(false), c.decode(1), c.decode(0)]).to.deep.equal(['INTEGER', 1, 0, true, false]);
    expect(code(() => c.decode(2))).to.equal('LS_DECODE_FAILED');
  });

  it('json stores JSON text, through its schema', () => {
    const c = json({ schema: Schema.Struct({ at: Schema.Date, tags: Schema.Array(Schema.String) }) });
    const value = { at: new Date('2024-01-01T00:00:00.000Z'), tags: ['a'] };
    expect(c.encode(value)).to.equal('{"at":"2024-01-01T00:00:00.000Z","tags":["a"]}');
    expect(c.decode('{"at":"2024-01-01T00:00:00.000Z","tags":["a"]}')).to.deep.equal(value);
    expect(code(() => c.decode('{not json'))).to.equal('LS_DECODE_FAILED');
    expect(code(() => c.encode({ at: 'x', tags: [] } as never))).to.equal('LS_INVALID_QUERY');
  });

  it('json without a schema takes any JSON value', () => {
    const c = json();
    expect(c.encode({ a: [1, null] })).to.equal('{"a":[1,null]}');
    expect(code(() => c.encode({ d: new Date() }))).to.equal('LS_INVALID_QUERY');
  });

  it('datetime stores ISO text and datetimeInteger epoch milliseconds', () => {
    const d = new Date('2024-03-04T05:06:07.089Z');
    expect(datetime().sqlType).to.equal('TEXT');
    expect(datetime().encode(d)).to.equal('2024-03-04T05:06:07.089Z');
    expect(datetime().decode('2024-03-04T05:06:07.089Z').getTime()).to.equal(d.getTime());
    expect(datetimeInteger().sqlType).to.equal('INTEGER');
    expect(datetimeInteger().encode(d)).to.equal(d.getTime());
    expect(datetimeInteger().decode(d.getTime()).getTime()).to.equal(d.getTime());
    expect(code(() => datetime().encode(new Date('nope')))).to.equal('LS_INVALID_QUERY');
  });

  it('nullable columns take and return null; others refuse it', () => {
    expect(text({ nullable: true }).encode(null)).to.equal(null);
    expect(text({ nullable: true }).decode(null)).to.equal(null);
    expect(code(() => text().encode(null as never))).to.equal('LS_INVALID_QUERY');
    expect(code(() => text().decode(null))).to.equal('LS_DECODE_FAILED');
  });

  it('a schema on a text or integer column changes the app type (Literal, DateFromNumber)', () => {
    const filter = text({ schema: Schema.Literal('all', 'done') });
    expect(filter.encode('done')).to.equal('done');
    expect(code(() => filter.encode('other' as never))).to.equal('LS_INVALID_QUERY');
    expect(code(() => filter.decode('other'))).to.equal('LS_DECODE_FAILED');
    const deletedAt = integer({ nullable: true, schema: Schema.DateFromNumber });
    expect(deletedAt.encode(new Date(99))).to.equal(99);
    expect(deletedAt.decode(99)?.getTime()).to.equal(99);
  });

  it('a foreign schema on a column validates what is read', () => {
    const upper: StandardSchemaV1<string> = {
      '~standard': { version: 1, vendor: 'fake', validate: (v) => (typeof v === 'string' && v === v.toUpperCase() ? { value: v } : { issues: [{ message: 'not upper case' }] }) },
    };
    const c = text({ schema: upper });
    expect(c.decode('ABC')).to.equal('ABC');
    expect(code(() => c.decode('abc'))).to.equal('LS_DECODE_FAILED');
  });

  it('records options: primary key, default, insert optionality', () => {
    const id = text({ primaryKey: true });
    expect([id.primaryKey, id.hasDefault, id.insertOptional]).to.deep.equal([true, false, false]);
    const done = boolean({ default: false });
    expect([done.hasDefault, done.default, done.insertOptional]).to.deep.equal([true, false, true]);
    expect(integer({ primaryKey: true, autoIncrement: true }).insertOptional).to.equal(true);
  });

  it('rejects contradictory options with LS_INVALID_SCHEMA', () => {
    expect(code(() => text({ primaryKey: true, nullable: true }))).to.equal('LS_INVALID_SCHEMA');
    expect(code(() => text({ autoIncrement: true }))).to.equal('LS_INVALID_SCHEMA');
    expect(code(() => boolean({ schema: Schema.Boolean } as never))).to.equal('LS_INVALID_SCHEMA');
  });
});
