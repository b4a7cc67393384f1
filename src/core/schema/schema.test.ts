import { expect } from 'chai';
import { Schema, validateSync } from '../schema.ts';
import { isLsError, type LsError } from '../errors.ts';
import type { StandardSchemaV1 } from '../standard-schema.ts';

function thrown(fn: () => unknown): LsError {
  try {
    fn();
  } catch (err) {
    if (isLsError(err)) return err;
    throw err;
  }
  throw new Error('expected an LsError');
}

/** A tiny foreign Standard Schema: a non-empty string, vendor 'fake'. */
const fakeNonEmpty: StandardSchemaV1<string, string> = {
  '~standard': {
    version: 1,
    vendor: 'fake',
    validate: (v) => (typeof v === 'string' && v.length > 0 ? { value: v } : { issues: [{ message: 'must be a non-empty string' }] }),
  },
};

describe('Schema', () => {
  const Todo = Schema.Struct({
    id: Schema.String,
    done: Schema.Boolean,
    due: Schema.Date,
    note: Schema.optional(Schema.String),
    tags: Schema.Array(Schema.Struct({ label: Schema.Literal('home', 'work') })),
  });
  const todo = { id: 't1', done: false, due: new Date('2024-05-01T10:00:00.000Z'), tags: [{ label: 'work' as const }] };

  it('implements Standard Schema v1 with vendor ls-elements and a synchronous validate', () => {
    const result = Todo['~standard'].validate(todo);
    expect(Todo['~standard'].version).to.equal(1);
    expect(Todo['~standard'].vendor).to.equal('ls-elements');
    expect(result).to.not.be.instanceOf(Promise);
    expect(result).to.deep.equal({ value: todo });
  });

  it('encodes Dates to ISO strings, nested in arrays and structs, and decodes them back', () => {
    const Log = Schema.Struct({ entries: Schema.Array(Schema.Struct({ at: Schema.Date })) });
    const at = new Date('2024-01-02T03:04:05.006Z');
    const encoded = Log.encode({ entries: [{ at }] });
    expect(encoded).to.deep.equal({ entries: [{ at: '2024-01-02T03:04:05.006Z' }] });
    const decoded = Log.decode(JSON.parse(JSON.stringify(encoded)));
    expect(decoded.entries[0]?.at).to.be.instanceOf(Date);
    expect(decoded.entries[0]?.at.getTime()).to.equal(at.getTime());
  });

  it('encodes DateFromNumber as epoch milliseconds', () => {
    expect(Schema.DateFromNumber.encode(new Date(1234))).to.equal(1234);
    expect(Schema.DateFromNumber.decode(1234).getTime()).to.equal(1234);
  });

  it('reports every issue with its path', () => {
    const result = Todo['~standard'].validate({ id: 1, due: 'soon', tags: [{ label: 'gym' }] });
    expect(result).to.have.property('issues');
    const issues = (result as { issues: { message: string; path: PropertyKey[] }[] }).issues;
    expect(issues.map((i) => i.path)).to.deep.equal([['id'], ['done'], ['due'], ['tags', 0, 'label']]);
    expect(issues[0]?.message).to.equal('expected a string, got number 1');
    expect(issues[1]?.message).to.equal('is required');
  });

  it('drops unknown keys and leaves out missing optional fields', () => {
    const out = Todo.encode({ ...todo, extra: 1 } as typeof todo);
    expect(out).to.not.have.property('extra');
    expect(out).to.not.have.property('note');
  });

  it('decodes SQLite booleans (0/1) and safe bigints leniently', () => {
    expect(Schema.Boolean.decode(1)).to.equal(true);
    expect(Schema.Boolean.decode(0n)).to.equal(false);
    expect(Schema.Number.decode(42n)).to.equal(42);
    expect(() => Schema.Boolean.decode(2)).to.throw(/expected a boolean/);
  });

  it('checks literals, unions, null and records', () => {
    expect(Schema.Literal('a', 'b').is('b')).to.equal(true);
    expect(Schema.Literals(['a', 'b']).is('c')).to.equal(false);
    const U = Schema.Union(Schema.String, Schema.Number);
    expect(U.is(1)).to.equal(true);
    expect(U.is(true)).to.equal(false);
    expect(Schema.NullOr(Schema.String).is(null)).to.equal(true);
    expect(Schema.nullable(Schema.String).is(undefined)).to.equal(false);
    const R = Schema.Record({ key: Schema.String, value: Schema.Int });
    expect(R.is({ a: 1, b: 2 })).to.equal(true);
    expect(R.is({ a: 1.5 })).to.equal(false);
  });

  it('reports the nested issue of the one union member whose shape matched', () => {
    const Shape = Schema.Union(Schema.Struct({ kind: Schema.Literal('circle'), r: Schema.Number }), Schema.String);
    const result = Shape['~standard'].validate({ kind: "circle", r: "big" }) as unknown as { issues: { path: PropertyKey[] }[] };
    expect(result.issues.map((i) => i.path)).to.deep.equal([['r']]);
  });

  it('accepts any JSON value in Schema.JSON and rejects what JSON cannot carry', () => {
    expect(Schema.JSON.is({ a: [1, 'x', null, { b: true }] })).to.equal(true);
    const bad = Schema.JSON['~standard'].validate({ a: [1, Number.NaN] }) as unknown as { issues: { path: PropertyKey[] }[] };
    expect(bad.issues[0]?.path).to.deep.equal(['a', 1]);
    expect(Schema.JSON.is({ d: new Date() })).to.equal(false);
  });

  it('accepts anything in Schema.Unknown, also a missing required field', () => {
    const S = Schema.Struct({ meta: Schema.Unknown });
    expect(S.is({})).to.equal(true);
  });

  it('throws LS_INVALID_ARGUMENT on encode and LS_DECODE_FAILED on decode, listing paths', () => {
    const enc = thrown(() => Todo.encode({ ...todo, due: new Date('nope') }));
    expect(enc.code).to.equal('LS_INVALID_ARGUMENT');
    expect(enc.message).to.contain('at due: expected a valid Date');
    const dec = thrown(() => Todo.decode({ ...todo, due: 'not a date' }));
    expect(dec.code).to.equal('LS_DECODE_FAILED');
    expect(dec.message).to.contain('at due:');
  });

  it('nests a foreign Standard Schema inside a Struct', () => {
    const S = Schema.Struct({ name: fakeNonEmpty, n: Schema.Number });
    expect(S.is({ name: 'x', n: 1 })).to.equal(true);
    const result = S['~standard'].validate({ name: '', n: 1 }) as { issues: { message: string; path: PropertyKey[] }[] };
    expect(result.issues).to.deep.equal([{ message: 'must be a non-empty string', path: ['name'] }]);
  });

  it('makes every field optional with partial', () => {
    const P = Schema.partial(Schema.Struct({ a: Schema.String, b: Schema.Number }));
    expect(P.is({})).to.equal(true);
    expect(P.is({ a: 1 })).to.equal(false);
  });
});

describe('validateSync', () => {
  it('returns the output of a valid value', () => {
    expect(validateSync(Schema.String, 'x', 'the name')).to.equal('x');
  });

  it('throws LS_INVALID_EVENT_ARGS naming what was validated and every issue path', () => {
    const S = Schema.Struct({ id: Schema.String, items: Schema.Array(Schema.Number) });
    const err = thrown(() => validateSync(S, { id: 3, items: [1, 'two'] }, "args of event 'v1.X'"));
    expect(err.code).to.equal('LS_INVALID_EVENT_ARGS');
    expect(err.message).to.equal("Invalid args of event 'v1.X': at id: expected a string, got number 3; at items[1]: expected a finite number, got string \"two\". Pass a value that matches the schema.");
    expect(err.details['issues']).to.deep.equal([
      { path: 'id', message: 'expected a string, got number 3' },
      { path: 'items[1]', message: 'expected a finite number, got string "two"' },
    ]);
  });

  it('uses the error code it is given', () => {
    expect(thrown(() => validateSync(Schema.String, 1, 'x', 'LS_DECODE_FAILED')).code).to.equal('LS_DECODE_FAILED');
  });

  it('accepts a foreign Standard Schema', () => {
    expect(validateSync(fakeNonEmpty, 'ok', 'x')).to.equal('ok');
    expect(thrown(() => validateSync(fakeNonEmpty, '', 'the title')).message).to.contain('must be a non-empty string');
  });

  it('rejects a schema that validates asynchronously with LS_INVALID_SCHEMA', () => {
    const asyncSchema: StandardSchemaV1<string> = {
      '~standard': { version: 1, vendor: 'fake-async', validate: async (v) => ({ value: String(v) }) },
    };
    const err = thrown(() => validateSync(asyncSchema, 'x', 'args'));
    expect(err.code).to.equal('LS_INVALID_SCHEMA');
    expect(err.message).to.contain('async');
  });
});
