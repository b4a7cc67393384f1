/**
 * Type tests, checked by `tsc` only (never run): row types are inferred from columns, event
 * calls and materializer args are typed by their schemas, bad columns and values do not compile.
 * Every `@ts-expect-error` line must fail to compile, or tsc reports the directive as unused.
 */
import { Events } from './events.ts';
import { Schema } from './schema.ts';
import { State } from './state.ts';
import { makeSchema } from './make-schema.ts';
import { SessionIdSymbol } from './session-id-symbol.ts';
import type { StandardSchemaV1 } from './standard-schema.ts';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_ok?: T): void {}

// --- LiveStore's todo example, only imports changed ---------------------------------------
const Filter = Schema.Literal('all', 'active', 'completed');
const tables = {
  todos: State.SQLite.table({
    name: 'todos',
    columns: {
      id: State.SQLite.text({ primaryKey: true }),
      text: State.SQLite.text({ default: '' }),
      completed: State.SQLite.boolean({ default: false }),
      deletedAt: State.SQLite.integer({ nullable: true, schema: Schema.DateFromNumber }),
      createdAt: State.SQLite.datetime(),
      tags: State.SQLite.json({ schema: Schema.Array(Schema.String), default: [] }),
    },
  }),
  uiState: State.SQLite.clientDocument({
    name: 'uiState',
    schema: Schema.Struct({ newTodoText: Schema.String, filter: Filter }),
    default: { id: SessionIdSymbol, value: { newTodoText: '', filter: 'all' } },
  }),
};
const events = {
  todoCreated: Events.synced({ name: 'v1.TodoCreated', schema: Schema.Struct({ id: Schema.String, text: Schema.String }) }),
  todoCompleted: Events.synced({ name: 'v1.TodoCompleted', schema: Schema.Struct({ id: Schema.String }) }),
  todoDeleted: Events.synced({ name: 'v1.TodoDeleted', schema: Schema.Struct({ id: Schema.String, deletedAt: Schema.Date }) }),
  uiStateSet: tables.uiState.set,
};
const materializers = State.SQLite.materializers(events, {
  'v1.TodoCreated': ({ id, text }) => tables.todos.insert({ id, text, completed: false, createdAt: new Date() }),
  todoCompleted: ({ id }) => tables.todos.update({ completed: true }).where({ id }),
  'v1.TodoDeleted': ({ id, deletedAt }, ctx) => {
    assertType<Equal<ReturnType<typeof ctx.query<number>>, number>>();
    const open: number = ctx.query(tables.todos.count().where({ completed: false }));
    return open > 0 ? [tables.todos.update({ deletedAt }).where({ id })] : undefined;
  },
});
const state = State.SQLite.makeState({ tables, materializers });
export const schema = makeSchema({ events, state });

// --- row types -----------------------------------------------------------------------------
type Todo = typeof tables.todos.Type;
assertType<Equal<Todo, {
  readonly id: string;
  readonly text: string;
  readonly completed: boolean;
  readonly deletedAt: Date | null;
  readonly createdAt: Date;
  readonly tags: readonly string[];
}>>();
assertType<Equal<State.SQLite.RowOf<typeof tables.todos>, Todo>>();

const openRows = tables.todos.where({ completed: false }).asSql().decode([]);
assertType<Equal<typeof openRows, ReadonlyArray<Todo>>>();
assertType<Equal<(typeof openRows)[number]['completed'], boolean>>();
// @ts-expect-error rows are readonly
openRows[0]!.completed = true;

const picked = tables.todos.select('id', 'completed').asSql().decode([]);
assertType<Equal<typeof picked, ReadonlyArray<{ readonly id: string; readonly completed: boolean }>>>();
const first = tables.todos.where('id', 'a').first().asSql().decode([]);
assertType<Equal<typeof first, Todo | undefined>>();
const withFallback = tables.todos.first({ fallback: () => null }).asSql().decode([]);
assertType<Equal<typeof withFallback, Todo | null>>();
const count = tables.todos.count().where({ completed: true }).asSql().decode([]);
assertType<Equal<typeof count, number>>();
const ui = tables.uiState.get().asSql().decode([]);
assertType<Equal<typeof ui, { readonly newTodoText: string; readonly filter: 'all' | 'active' | 'completed' }>>();
const kind = tables.todos.insert({ id: 'a', createdAt: new Date() }).asSql().kind;
assertType<Equal<typeof kind, 'write'>>();

// --- where, orderBy, writes ------------------------------------------------------------------
tables.todos.where('createdAt', '>', new Date()).where('id', 'IN', ['a', 'b']).where('text', 'LIKE', '%x%');
tables.todos.where({ deletedAt: null, text: { op: '!=', value: 'x' } }).orderBy('text', 'desc').limit(10).offset(5);
tables.todos.orderBy([{ col: 'createdAt', direction: 'desc' }]);
tables.todos.insert({ id: 'a', createdAt: new Date() }).onConflict('id', 'update', { text: 'b' });
// @ts-expect-error unknown column in where
tables.todos.where({ nope: 1 });
// @ts-expect-error unknown column in where(column, value)
tables.todos.where('nope', 1);
// @ts-expect-error wrong value type for a boolean column
tables.todos.where({ completed: 'yes' });
// @ts-expect-error a Date column compared with a string
tables.todos.where('createdAt', '>', '2024');
// @ts-expect-error unknown column in orderBy
tables.todos.orderBy('nope', 'asc');
// @ts-expect-error insert without the required createdAt
tables.todos.insert({ id: 'a' });
// @ts-expect-error count() has no limit
tables.todos.count().limit(3);
// @ts-expect-error first() has no limit
tables.todos.first().limit(3);

// --- columns ------------------------------------------------------------------------------
// @ts-expect-error a text default must be a string
State.SQLite.text({ default: 5 });
// @ts-expect-error DateFromNumber encodes to a number, not text
State.SQLite.text({ schema: Schema.DateFromNumber });
// @ts-expect-error boolean columns take no schema
State.SQLite.boolean({ schema: Schema.Boolean });

// --- events -------------------------------------------------------------------------------
const created = events.todoCreated({ id: 'a', text: 'milk' });
assertType<Equal<typeof created.name, 'v1.TodoCreated'>>();
// @ts-expect-error wrongly typed field
events.todoCreated({ id: 1, text: 'milk' });
// @ts-expect-error missing field
events.todoCreated({ id: 'a' });
// @ts-expect-error unknown field
events.todoCreated({ id: 'a', text: 'milk', extra: true });
tables.uiState.set({ filter: 'active' });
// @ts-expect-error not one of the literals
tables.uiState.set({ filter: 'nope' });

// --- materializers ----------------------------------------------------------------------------
State.SQLite.materializers(events, {
  // @ts-expect-error the event has no field `nope`
  'v1.TodoCreated': ({ nope }) => tables.todos.update({ text: nope }),
});
State.SQLite.materializers(events, {
  // @ts-expect-error a materializer must return writes, not a read
  'v1.TodoCreated': ({ id }) => tables.todos.where({ id }),
});
State.SQLite.materializers(events, {
  // @ts-expect-error no event has this name or key
  'v1.Unknown': () => undefined,
});

// --- Schema.Type and foreign Standard Schemas -------------------------------------------------
const Person = Schema.Struct({ name: Schema.String, born: Schema.Date, nick: Schema.optional(Schema.String) });
assertType<Equal<Schema.Type<typeof Person>, { readonly name: string; readonly born: Date; readonly nick?: string | undefined }>>();
assertType<Equal<Schema.Encoded<typeof Person>, { readonly name: string; readonly born: string; readonly nick?: string | undefined }>>();
declare const zodLike: StandardSchemaV1<string, number>;
const counted = Events.synced({ name: 'counted', schema: zodLike });
counted('input is a string');
// @ts-expect-error the foreign schema's input is a string
counted(5);
State.SQLite.materializers({ counted }, {
  counted: (n) => {
    assertType<Equal<typeof n, number>>();
  },
});
