import { expect } from 'chai';
import { State } from './state.ts';
import { Schema } from './schema.ts';
import { isLsError } from './errors.ts';
import { SessionIdSymbol } from './session-id-symbol.ts';
import { decodeEventArgs, encodeEventArgs } from './event-args.ts';
import { normalizeMaterializerResult, type MaterializerContext } from './materializers.ts';

const uiState = State.SQLite.clientDocument({
  name: 'uiState',
  schema: Schema.Struct({ newTodoText: Schema.String, filter: Schema.Literal('all', 'active', 'completed'), seenAt: Schema.NullOr(Schema.Date) }),
  default: { id: SessionIdSymbol, value: { newTodoText: '', filter: 'all', seenAt: null } },
});

/** Runs the derived materializer as a store would: encode, decode, handler, statements. */
function materialize(event: { name: string; args: unknown }, sessionId = 's1') {
  const stored = encodeEventArgs(uiState.set, event.args, { sessionId });
  const handler = uiState.setMaterializer as unknown as (args: unknown, ctx: MaterializerContext) => unknown;
  return normalizeMaterializerResult(handler(decodeEventArgs(uiState.set, stored), {} as MaterializerContext), { eventName: event.name });
}

describe('State.SQLite.clientDocument', () => {
  it('is a table with an id primary key and a json value', () => {
    expect(uiState.createSql()).to.deep.equal(['CREATE TABLE IF NOT EXISTS "uiState" ("id" TEXT PRIMARY KEY NOT NULL, "value" TEXT NOT NULL)']);
    expect(uiState.isClientDocument).to.equal(true);
  });

  it('get() reads the session document and falls back to the default', () => {
    const q = uiState.get().asSql({ sessionId: 's1' });
    expect([q.sql, q.bindValues, q.kind]).to.deep.equal(['SELECT "value" FROM "uiState" WHERE "id" = ?', ['s1'], 'read']);
    expect(q.decode([])).to.deep.equal({ newTodoText: '', filter: 'all', seenAt: null });
  });

  it('get() decodes the stored value and completes it from the default', () => {
    const q = uiState.get('doc-1').asSql();
    expect(q.bindValues).to.deep.equal(['doc-1']);
    expect(q.decode([{ value: '{"filter":"active","seenAt":"2024-01-01T00:00:00.000Z"}' }])).to.deep.equal({
      newTodoText: '',
      filter: 'active',
      seenAt: new Date('2024-01-01T00:00:00.000Z'),
    });
  });

  it('set() builds the derived clientOnly uiStateSet event', () => {
    expect(uiState.set({ filter: 'active' }, 'doc-1')).to.deep.equal({ name: 'uiStateSet', args: { id: 'doc-1', value: { filter: 'active' } } });
    expect(uiState.set({ filter: 'active' }).args.id).to.equal(SessionIdSymbol);
    expect([uiState.set.name, uiState.set.clientOnly, uiState.set.derived]).to.deep.equal(['uiStateSet', true, true]);
  });

  it('materializes a partial set as an upsert that changes only the given fields', () => {
    const [stmt] = materialize(uiState.set({ filter: 'completed', seenAt: new Date(0) }));
    expect(stmt?.sql).to.equal(
      'INSERT INTO "uiState" ("id", "value") VALUES (?, ?) ON CONFLICT ("id") DO UPDATE SET "value" = json_set("value", ?, json(?), ?, json(?))',
    );
    expect(stmt?.bindValues).to.deep.equal([
      's1',
      '{"newTodoText":"","filter":"completed","seenAt":"1970-01-01T00:00:00.000Z"}',
      '$."filter"', '"completed"',
      '$."seenAt"', '"1970-01-01T00:00:00.000Z"',
    ]);
    expect(stmt?.writeTables).to.deep.equal(['uiState']);
  });

  it('validates set values against the schema', () => {
    let code = 'none';
    try {
      encodeEventArgs(uiState.set, uiState.set({ filter: 'nope' as never }).args, { sessionId: 's1' });
    } catch (err) {
      if (isLsError(err)) code = err.code;
    }
    expect(code).to.equal('LS_INVALID_EVENT_ARGS');
  });

  it('replaces non-object values whole', () => {
    const counter = State.SQLite.clientDocument({ name: 'counter', schema: Schema.Number, default: { id: 'c', value: 0 } });
    const stored = encodeEventArgs(counter.set, counter.set(5).args);
    const handler = counter.setMaterializer as unknown as (args: unknown) => unknown;
    const [stmt] = normalizeMaterializerResult(handler(decodeEventArgs(counter.set, stored)), { eventName: 'counterSet' });
    expect(stmt?.sql).to.equal('INSERT INTO "counter" ("id", "value") VALUES (?, ?) ON CONFLICT ("id") DO UPDATE SET "value" = excluded."value"');
    expect(stmt?.bindValues).to.deep.equal(['c', '5']);
  });

  it('rejects a default that does not match the schema', () => {
    let code = 'none';
    try {
      State.SQLite.clientDocument({ name: 'bad', schema: Schema.Struct({ a: Schema.String }), default: { value: { a: 1 } as never } });
    } catch (err) {
      if (isLsError(err)) code = err.code;
    }
    expect(code).to.equal('LS_INVALID_SCHEMA');
  });

  it('asks for an id when there is no default id', () => {
    const doc = State.SQLite.clientDocument({ name: 'drafts', schema: Schema.Struct({ text: Schema.String }), default: { value: { text: '' } } });
    let code = 'none';
    try {
      doc.get();
    } catch (err) {
      if (isLsError(err)) code = err.code;
    }
    expect(code).to.equal('LS_INVALID_ARGUMENT');
    expect(doc.get('d1').asSql().bindValues).to.deep.equal(['d1']);
  });
});
