import { expect } from 'chai';
import { Events } from './events.ts';
import { Schema } from './schema.ts';
import { State } from './state.ts';
import { makeSchema } from './make-schema.ts';
import { SessionIdSymbol } from './session-id-symbol.ts';
import { isLsError } from './errors.ts';
import { fnv1a64 } from './hash.ts';

function schemaError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isLsError(err, 'LS_INVALID_SCHEMA')) return err.message;
    throw err;
  }
  return 'no error';
}

/** LiveStore's todo example, with only the imports changed. */
function todoApp(options: { textDefault?: string; materializerVersion?: number; tableOrder?: 'ui-first' } = {}) {
  const todos = State.SQLite.table({
    name: 'todos',
    columns: {
      id: State.SQLite.text({ primaryKey: true }),
      text: State.SQLite.text({ default: options.textDefault ?? '' }),
      completed: State.SQLite.boolean({ default: false }),
      deletedAt: State.SQLite.integer({ nullable: true, schema: Schema.DateFromNumber }),
    },
  });
  const uiState = State.SQLite.clientDocument({
    name: 'uiState',
    schema: Schema.Struct({ newTodoText: Schema.String, filter: Schema.Literal('all', 'active', 'completed') }),
    default: { id: SessionIdSymbol, value: { newTodoText: '', filter: 'all' } },
  });
  const tables = options.tableOrder === 'ui-first' ? { uiState, todos } : { todos, uiState };
  const events = {
    todoCreated: Events.synced({ name: 'v1.TodoCreated', schema: Schema.Struct({ id: Schema.String, text: Schema.String }) }),
    todoCompleted: Events.synced({ name: 'v1.TodoCompleted', schema: Schema.Struct({ id: Schema.String }) }),
    todoDeleted: Events.synced({ name: 'v1.TodoDeleted', schema: Schema.Struct({ id: Schema.String, deletedAt: Schema.Date }) }),
    uiStateSet: uiState.set,
  };
  const materializers = State.SQLite.materializers(events, {
    'v1.TodoCreated': ({ id, text }) => todos.insert({ id, text, completed: false }),
    'v1.TodoCompleted': ({ id }) => todos.update({ completed: true }).where({ id }),
    todoDeleted: ({ id, deletedAt }) => todos.update({ deletedAt }).where({ id }),
  });
  const state = State.SQLite.makeState({ tables, materializers, ...(options.materializerVersion === undefined ? {} : { materializerVersion: options.materializerVersion }) });
  return { todos, uiState, events, schema: makeSchema({ events, state }) };
}

describe('makeSchema', () => {
  it('collects tables, events (with client document events) and materializers by event name', () => {
    const { schema } = todoApp();
    expect([...schema.tables.keys()]).to.deep.equal(['todos', 'uiState']);
    expect([...schema.events.keys()]).to.deep.equal(['v1.TodoCreated', 'v1.TodoCompleted', 'v1.TodoDeleted', 'uiStateSet']);
    expect(schema.materializerFor('v1.TodoDeleted')).to.be.a('function');
    expect(schema.materializerFor('uiStateSet')).to.be.a('function');
    expect(schema.materializerFor('nope')).to.equal(undefined);
  });

  it('has a hash that is stable and independent of table order', () => {
    expect(todoApp().schema.hash).to.match(/^[0-9a-f]{16}$/);
    expect(todoApp().schema.hash).to.equal(todoApp().schema.hash);
    expect(todoApp({ tableOrder: 'ui-first' }).schema.hash).to.equal(todoApp().schema.hash);
  });

  it('changes the hash when a column or the materializer version changes', () => {
    const base = todoApp().schema.hash;
    expect(todoApp({ textDefault: 'x' }).schema.hash).to.not.equal(base);
    expect(todoApp({ materializerVersion: 1 }).schema.hash).to.not.equal(base);
  });

  it('requires a materializer for every synced event, naming the missing ones', () => {
    const todos = State.SQLite.table({ name: 'todos', columns: { id: State.SQLite.text({ primaryKey: true }) } });
    const events = {
      a: Events.synced({ name: 'v1.A', schema: Schema.Struct({}) }),
      b: Events.synced({ name: 'v1.B', schema: Schema.Struct({}) }),
      c: Events.clientOnly({ name: 'v1.C', schema: Schema.Struct({}) }),
    };
    const state = State.SQLite.makeState({ tables: { todos }, materializers: State.SQLite.materializers(events, {}) });
    expect(schemaError(() => makeSchema({ events, state }))).to.contain("synced events 'v1.A', 'v1.B' have no materializer");
  });

  it('rejects duplicate event names and duplicate table names', () => {
    const todos = State.SQLite.table({ name: 'todos', columns: { id: State.SQLite.text({ primaryKey: true }) } });
    const again = State.SQLite.table({ name: 'todos', columns: { id: State.SQLite.text({ primaryKey: true }) } });
    expect(schemaError(() => State.SQLite.makeState({ tables: [todos, again] }))).to.contain('two tables are named "todos"');
    const events = {
      a: Events.clientOnly({ name: 'same', schema: Schema.Struct({}) }),
      b: Events.clientOnly({ name: 'same', schema: Schema.Struct({}) }),
    };
    expect(schemaError(() => makeSchema({ events, state: State.SQLite.makeState({ tables: { todos } }) }))).to.contain("two events are named 'same'");
  });

  it('rejects materializers for unknown events and two materializers for one event', () => {
    const events = { a: Events.synced({ name: 'v1.A', schema: Schema.Struct({}) }) };
    expect(schemaError(() => State.SQLite.materializers(events, { nope: () => undefined } as never))).to.contain("'nope' matches no event");
    expect(schemaError(() => State.SQLite.materializers(events, { a: () => undefined, 'v1.A': () => undefined }))).to.contain('two materializers');
  });

  it('accepts plain materializer records keyed by the events record key', () => {
    const todos = State.SQLite.table({ name: 'todos', columns: { id: State.SQLite.text({ primaryKey: true }) } });
    const events = { created: Events.synced({ name: 'v1.Created', schema: Schema.Struct({ id: Schema.String }) }) };
    const state = State.SQLite.makeState({ tables: { todos }, materializers: { created: () => undefined } });
    expect(makeSchema({ events, state }).materializerFor('v1.Created')).to.be.a('function');
  });

  it('rejects index names used by two tables', () => {
    const a = State.SQLite.table({ name: 'a', columns: { id: State.SQLite.text({ primaryKey: true }) }, indexes: [{ name: 'by_id', columns: ['id'] }] });
    const b = State.SQLite.table({ name: 'b', columns: { id: State.SQLite.text({ primaryKey: true }) }, indexes: [{ name: 'by_id', columns: ['id'] }] });
    expect(schemaError(() => State.SQLite.makeState({ tables: { a, b } }))).to.contain('index "by_id"');
  });
});

describe('fnv1a64', () => {
  it('matches the reference FNV-1a 64-bit values', () => {
    expect(fnv1a64('')).to.equal('cbf29ce484222325');
    expect(fnv1a64('a')).to.equal('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).to.equal('85944171f73967e8');
  });
});
