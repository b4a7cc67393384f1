/**
 * The TodoMVC demo's schema: LiveStore's todo example (same event names and materializers) plus
 * an edit event. The page and the leader worker both import this module by URL
 * (`<ls-store schema="./schema.ts">`, makePersistedAdapter({ schemaUrl })), so it may import only
 * the core entry, never the elements (no DOM in the worker).
 *
 * Todos are soft-deleted (`deletedAt`), as in LiveStore's example, so a delete in one tab and an
 * edit in another never resurrect a row. The filter lives in the page's URL hash, not in state.
 */
import { Events, makeSchema, Schema, State } from '../src/index.ts';

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
};

export const events = {
  todoCreated: Events.synced({ name: 'v1.TodoCreated', schema: Schema.Struct({ id: Schema.String, text: Schema.String }) }),
  todoCompleted: Events.synced({ name: 'v1.TodoCompleted', schema: Schema.Struct({ id: Schema.String }) }),
  todoUncompleted: Events.synced({ name: 'v1.TodoUncompleted', schema: Schema.Struct({ id: Schema.String }) }),
  todoTextEdited: Events.synced({ name: 'v1.TodoTextEdited', schema: Schema.Struct({ id: Schema.String, text: Schema.String }) }),
  todoDeleted: Events.synced({ name: 'v1.TodoDeleted', schema: Schema.Struct({ id: Schema.String, deletedAt: Schema.Date }) }),
  todoClearedCompleted: Events.synced({ name: 'v1.TodoClearedCompleted', schema: Schema.Struct({ deletedAt: Schema.Date }) }),
};

const materializers = State.SQLite.materializers(events, {
  'v1.TodoCreated': ({ id, text }) => tables.todos.insert({ id, text, completed: false }),
  'v1.TodoCompleted': ({ id }) => tables.todos.update({ completed: true }).where({ id }),
  'v1.TodoUncompleted': ({ id }) => tables.todos.update({ completed: false }).where({ id }),
  'v1.TodoTextEdited': ({ id, text }) => tables.todos.update({ text }).where({ id }),
  'v1.TodoDeleted': ({ id, deletedAt }) => tables.todos.update({ deletedAt }).where({ id }),
  'v1.TodoClearedCompleted': ({ deletedAt }) => tables.todos.update({ deletedAt }).where({ completed: true, deletedAt: null }),
});

const state = State.SQLite.makeState({ tables, materializers });

export const schema = makeSchema({ events, state });
