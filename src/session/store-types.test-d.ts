/**
 * Type tests of the Store (checked by tsc, never run): queries infer their row types and a
 * wrongly shaped commit does not compile. Every `@ts-expect-error` must be needed.
 */
import { computed, queryDb, signal, type Store } from '../index.ts';
import { events, schema, tables } from '../../test/fixtures/todo-schema.ts';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_ok?: T): void {}

declare const store: Store<typeof schema>;

type Todo = { readonly id: string; readonly text: string; readonly completed: boolean; readonly deletedAt: Date | null };

const open = store.query(tables.todos.where({ completed: false }));
assertType<Equal<typeof open, ReadonlyArray<Todo>>>();
const one = store.query(tables.todos.where({ id: 'a' }).first());
assertType<Equal<typeof one, Todo | undefined>>();
const count = store.query(tables.todos.count());
assertType<Equal<typeof count, number>>();
const ui = store.query(tables.uiState.get());
assertType<Equal<typeof ui, { readonly newTodoText: string; readonly filter: 'all' | 'active' | 'completed' }>>();

const filter$ = signal<'all' | 'done'>('all');
const visible$ = queryDb((get) => tables.todos.where({ completed: get(filter$) === 'done' }));
assertType<Equal<ReturnType<typeof store.query<ReadonlyArray<Todo>>>, ReadonlyArray<Todo>>>();
const visible = store.query(visible$);
assertType<Equal<typeof visible, ReadonlyArray<Todo>>>();
const texts$ = computed((get) => get(visible$).map((t) => t.text));
const texts = store.query(texts$);
assertType<Equal<typeof texts, string[]>>();
store.subscribe(visible$, (rows) => assertType<Equal<typeof rows, ReadonlyArray<Todo>>>());

store.commit(events.todoCreated({ id: 'a', text: 'A' }), events.todoCompleted({ id: 'a' }));
store.commit(events.uiStateSet({ filter: 'active' }));
// @ts-expect-error text is missing
store.commit(events.todoCreated({ id: 'a' }));
// @ts-expect-error id must be a string
store.commit(events.todoCompleted({ id: 1 }));
// @ts-expect-error deletedAt must be a Date
store.commit(events.todoDeleted({ id: 'a', deletedAt: 'yesterday' }));
// @ts-expect-error not an event of this schema
store.commit({ name: 'v1.Unknown', args: {} });
// @ts-expect-error filter is one of three literals
store.commit(events.uiStateSet({ filter: 'someday' }));
// @ts-expect-error a signal cannot be set to another type
store.setSignal(filter$, 'later');
