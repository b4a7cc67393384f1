import { Events } from './events.ts';
import { Schema } from './schema.ts';
import { State } from './state.ts';
import { makeSchema } from './make-schema.ts';
import { SessionIdSymbol } from './session-id-symbol.ts';

export const Filter = Schema.Literal('all', 'active', 'completed');
export const tables = {
  todos: State.SQLite.table({
    name: 'todos',
    columns: {
      id: State.SQLite.text({ primaryKey: true }),
      text: State.SQLite.text({ default: '' }),
      completed: State.SQLite.boolean({ default: false }),
      deletedAt: State.SQLite.integer({ nullable: true, schema: Schema.DateFromNumber }),
    },
  }),
  uiState: State.SQLite.clientDocument({
    name: 'uiState',
    schema: Schema.Struct({ newTodoText: Schema.String, filter: Filter }),
    default: { id: SessionIdSymbol, value: { newTodoText: '', filter: 'all' } },
  }),
};
export const events = {
  todoCreated: Events.synced({ name: 'v1.TodoCreated', schema: Schema.Struct({ id: Schema.String, text: Schema.String }) }),
  todoCompleted: Events.synced({ name: 'v1.TodoCompleted', schema: Schema.Struct({ id: Schema.String }) }),
  todoDeleted: Events.synced({ name: 'v1.TodoDeleted', schema: Schema.Struct({ id: Schema.String, deletedAt: Schema.Date }) }),
  todoClearedCompleted: Events.synced({ name: 'v1.TodoClearedCompleted', schema: Schema.Struct({ deletedAt: Schema.Date }) }),
  uiStateSet: tables.uiState.set,
};
const materializers = State.SQLite.materializers(events, {
  'v1.TodoCreated': ({ id, text }) => tables.todos.insert({ id, text, completed: false }),
  'v1.TodoCompleted': ({ id }) => tables.todos.update({ completed: true }).where({ id }),
  todoDeleted: ({ id, deletedAt }) => { const d: Date = deletedAt; return tables.todos.update({ deletedAt: d }).where({ id }); },
  'v1.TodoClearedCompleted': ({ deletedAt }, ctx) => { ctx.query(tables.todos.count()); return tables.todos.update({ deletedAt }).where({ completed: true }); },
});
const state = State.SQLite.makeState({ tables, materializers });
export const schema = makeSchema({ events, state });
const e = events.todoCreated({ id: 'a', text: 'b' });
const n: 'v1.TodoCreated' = e.name;
const s = tables.uiState.set({ filter: 'active' });
const g = tables.uiState.get().asSql({ sessionId: 's1' });
const val: { readonly newTodoText: string; readonly filter: 'all' | 'active' | 'completed' } = g.decode([]);
type Todo = typeof tables.todos.Type;
const t: Todo = { id: 'a', text: 'b', completed: false, deletedAt: null };
// @ts-expect-error
events.todoCreated({ id: 1, text: 'b' });
// @ts-expect-error
events.todoCreated({ id: 'a' });
// @ts-expect-error
tables.uiState.set({ filter: 'nope' });
export { n, s, val, t };
