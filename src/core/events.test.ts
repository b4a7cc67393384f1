import { expect } from 'chai';
import { Events, isEventDef } from './events.ts';
import { decodeEventArgs, encodeEventArgs } from './event-args.ts';
import { Schema } from './schema.ts';
import { isLsError } from './errors.ts';
import { SessionIdSymbol } from './session-id-symbol.ts';
import type { StandardSchemaV1 } from './standard-schema.ts';

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (isLsError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  return { code: 'no error', message: '' };
}

/** A fake foreign schema with a transform: input string, output number (its length). */
const lengthOf: StandardSchemaV1<string, number> = {
  '~standard': {
    version: 1,
    vendor: 'fake',
    validate: (v) => (typeof v === 'string' ? { value: v.length } : { issues: [{ message: 'need a string', path: [{ key: 'word' }] }] }),
  },
};

describe('Events', () => {
  const todoCreated = Events.synced({ name: 'v1.TodoCreated', schema: Schema.Struct({ id: Schema.String, text: Schema.String }) });
  const draftChanged = Events.clientOnly({ name: 'v1.DraftChanged', schema: Schema.Struct({ text: Schema.String }), deprecated: 'use v2' });

  it('builds the event to commit when called', () => {
    expect(todoCreated({ id: '1', text: 'milk' })).to.deep.equal({ name: 'v1.TodoCreated', args: { id: '1', text: 'milk' } });
  });

  it('exposes name, schema, clientOnly and deprecated', () => {
    expect(todoCreated.name).to.equal('v1.TodoCreated');
    expect(todoCreated.clientOnly).to.equal(false);
    expect(draftChanged.clientOnly).to.equal(true);
    expect(draftChanged.deprecated).to.equal('use v2');
    expect(isEventDef(todoCreated)).to.equal(true);
    expect(isEventDef({ name: 'x' })).to.equal(false);
  });

  it('rejects definitions without a name or a Standard Schema', () => {
    expect(errorOf(() => Events.synced({ name: '', schema: Schema.String })).code).to.equal('LS_INVALID_SCHEMA');
    expect(errorOf(() => Events.synced({ name: 'x', schema: {} as never })).code).to.equal('LS_INVALID_SCHEMA');
  });
});

describe('event args', () => {
  const todoDeleted = Events.synced({ name: 'v1.TodoDeleted', schema: Schema.Struct({ id: Schema.String, at: Schema.Date }) });

  it('encodes app args to JSON-safe args and decodes them for the materializer', () => {
    const at = new Date('2024-01-01T00:00:00.000Z');
    const stored = encodeEventArgs(todoDeleted, { id: 'a', at });
    expect(stored).to.deep.equal({ id: 'a', at: '2024-01-01T00:00:00.000Z' });
    expect(decodeEventArgs(todoDeleted, JSON.parse(JSON.stringify(stored)))).to.deep.equal({ id: 'a', at });
  });

  it('throws LS_INVALID_EVENT_ARGS naming the event and the path', () => {
    const e = errorOf(() => encodeEventArgs(todoDeleted, { id: 1, at: new Date() }));
    expect(e.code).to.equal('LS_INVALID_EVENT_ARGS');
    expect(e.message).to.contain("event 'v1.TodoDeleted'");
    expect(e.message).to.contain('at id: expected a string');
  });

  it('throws LS_DECODE_FAILED when stored args no longer fit the schema', () => {
    expect(errorOf(() => decodeEventArgs(todoDeleted, { id: 'a' })).code).to.equal('LS_DECODE_FAILED');
  });

  it('replaces SessionIdSymbol with the session id', () => {
    const focus = Events.clientOnly({ name: 'focus', schema: Schema.Struct({ sessionId: Schema.String }) });
    expect(encodeEventArgs(focus, { sessionId: SessionIdSymbol }, { sessionId: 's1' })).to.deep.equal({ sessionId: 's1' });
    expect(errorOf(() => encodeEventArgs(focus, { sessionId: SessionIdSymbol })).code).to.equal('LS_INVALID_EVENT_ARGS');
  });

  it('refuses args that JSON cannot carry', () => {
    const anything = Events.synced({ name: 'any', schema: Schema.Struct({ v: Schema.Unknown }) });
    expect(errorOf(() => encodeEventArgs(anything, { v: new Map() })).code).to.equal('LS_INVALID_EVENT_ARGS');
  });

  it('accepts a foreign Standard Schema: stores the input, gives the materializer its output', () => {
    const counted = Events.synced({ name: 'counted', schema: lengthOf });
    const ev = counted('hello');
    expect(ev.args).to.equal('hello');
    expect(encodeEventArgs(counted, ev.args)).to.equal('hello');
    expect(decodeEventArgs(counted, 'hello')).to.equal(5);
    expect(errorOf(() => encodeEventArgs(counted, 3)).message).to.contain('at word: need a string');
  });
});
