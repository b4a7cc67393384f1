/**
 * The React page's app (demo/react.html): a TodoMVC-lite whose list React renders itself.
 *
 * React 19 treats `<ls-store>` and `<ls-query>` like any element: it sets their properties
 * (storeId, schema, sql, params…) and listens to their events through `on<event-name>` props.
 * Each query's rows become React state from `ls-change` (fired after each new result, detail
 * `{ rows }`); commits go through the store object with the schema's typed events. Below the
 * app, one `<ls-query>` renders its rows itself from a declarative `<template>`: the other style.
 *
 * The store is the TodoMVC page's (same store id, same schema module URL): both pages share one
 * leader and one OPFS database, so a todo added here shows there and back.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type DetailedHTMLProps, type HTMLAttributes, type KeyboardEvent } from 'react';
import type { LsErrorEventDetail, LsQuery, LsStore } from '../elements/index.ts';
import type { CommitInput, Store } from '../src/index.ts';
import { events, type schema } from './schema.ts';

type ElementProps<E extends HTMLElement> = DetailedHTMLProps<HTMLAttributes<E>, E>;
interface LsStoreProps extends ElementProps<LsStore> {
  storeId?: string;
  /** The schema module's URL, relative to the page: the leader worker imports it too. */
  schema?: string;
  syncUrl?: string | undefined;
  resetPersistence?: boolean;
  'onls-ready'?: (event: HTMLElementEventMap['ls-ready']) => void;
  'onls-error'?: (event: CustomEvent<LsErrorEventDetail>) => void;
}
interface LsQueryProps extends ElementProps<LsQuery> {
  sql?: string;
  /** Bind values; a new array re-runs the query, so keep it stable (useMemo). */
  params?: readonly unknown[];
  'onls-change'?: (event: HTMLElementEventMap['ls-change']) => void;
}

// React's types list intrinsic elements only in its JSX namespace: declaration merging is the
// one way to type custom elements there (types only, nothing is emitted).
declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'ls-store': LsStoreProps;
      'ls-query': LsQueryProps;
    }
  }
}

interface TodoRow {
  readonly id: string;
  readonly text: string;
  readonly completed: number;
}
interface StatsRow {
  readonly total: number;
  readonly completed: number;
  readonly active: number;
}
type Filter = 'all' | 'active' | 'completed';

const TODOS_SQL = "SELECT id, text, completed FROM todos WHERE deletedAt IS NULL AND (?1 = 'all' OR completed = (?1 = 'completed')) ORDER BY rowid";
const STATS_SQL = 'SELECT COUNT(*) AS total, COALESCE(SUM(completed), 0) AS completed, COUNT(*) - COALESCE(SUM(completed), 0) AS active FROM todos WHERE deletedAt IS NULL';
const ALL_SQL = 'SELECT id, text, completed FROM todos WHERE deletedAt IS NULL ORDER BY rowid';
// React appends a <template>'s children to the element, not to its `content`, where templates
// keep their markup (facebook/react#19932), so the template is given as HTML. A constant: row
// data reaches the page only through <ls-query>'s bindings, which set text and attributes.
const ROW_TEMPLATE = '<li data-id="{{row.id}}" ?data-completed="{{row.completed}}">{{row.text}}</li>';
const FILTERS: readonly Filter[] = ['all', 'active', 'completed'];

/** A query's rows as React state, from `<ls-query>`'s `ls-change` events. */
function useRows<Row>(): readonly [readonly Row[], (event: HTMLElementEventMap['ls-change']) => void] {
  const [rows, setRows] = useState<readonly Row[]>([]);
  const onChange = useCallback((event: HTMLElementEventMap['ls-change']) => {
    if (event.target !== event.currentTarget) return; // the event bubbles
    const value = event.detail.rows;
    setRows(Array.isArray(value) ? (value as readonly Row[]) : []);
  }, []);
  return [rows, onChange];
}

/** The filter is the URL hash (#/, #/active, #/completed), as on the TodoMVC page. */
function useHashFilter(): Filter {
  const read = (): Filter => {
    const hash = location.hash.replace(/^#\/?/, '');
    return hash === 'active' || hash === 'completed' ? hash : 'all';
  };
  const [filter, setFilter] = useState(read);
  useEffect(() => {
    const onHash = (): void => setFilter(read());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return filter;
}

export interface TodoAppProps {
  readonly storeId: string;
  readonly syncUrl: string | undefined;
  readonly reset: boolean;
}

export function TodoApp({ storeId, syncUrl, reset }: TodoAppProps) {
  const storeEl = useRef<LsStore>(null);
  const [todos, onTodos] = useRows<TodoRow>();
  const [statsRows, onStats] = useRows<StatsRow>();
  const [status, setStatus] = useState('Opening the store…');
  const filter = useHashFilter();
  const params = useMemo(() => [filter], [filter]);
  const stats = statsRows[0] ?? { total: 0, completed: 0, active: 0 };

  /** Commits once the store is open, so input typed while it opens is not lost. */
  const commit = useCallback((input: CommitInput<typeof schema>) => {
    storeEl.current?.ready.then((store: Store) => store.commit(input)).catch((err: unknown) => console.error('[react demo] commit failed', err));
  }, []);

  const onReady = useCallback((event: HTMLElementEventMap['ls-ready']) => {
    const s = event.detail.store.storage;
    setStatus(`Stored in ${s.storage === 'opfs' ? 'OPFS' : 'memory'}${s.isLeaderTab ? ', this tab runs the leader' : ''}${syncUrl === undefined ? '' : ` · sync ${syncUrl}`}.`);
  }, [syncUrl]);
  const onError = useCallback((event: CustomEvent<LsErrorEventDetail>) => setStatus(`Error: ${event.detail.error.message}`), []);

  const onNewTodoKey = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key !== 'Enter' || event.nativeEvent.isComposing) return;
    const text = event.currentTarget.value.trim();
    if (text === '') return;
    commit(events.todoCreated({ id: crypto.randomUUID(), text }));
    event.currentTarget.value = '';
  };

  return (
    <ls-store ref={storeEl} storeId={storeId} schema="./schema.ts" resetPersistence={reset} syncUrl={syncUrl} onls-ready={onReady} onls-error={onError}>
      {/* Data only: these render nothing themselves; React renders their rows. */}
      <ls-query sql={TODOS_SQL} params={params} onls-change={onTodos} />
      <ls-query sql={STATS_SQL} onls-change={onStats} />
      <section className="todoapp">
        <header className="header">
          <h1>todos</h1>
          <input className="new-todo" placeholder="What needs to be done?" aria-label="New todo" autoFocus onKeyDown={onNewTodoKey} />
        </header>
        <main className="main" hidden={stats.total === 0}>
          <ul className="todo-list">
            {todos.map((todo) => (
              <li key={todo.id} data-id={todo.id} data-completed={todo.completed ? '' : undefined}>
                <div className="view">
                  <input
                    className="toggle" type="checkbox" aria-label="Toggle" checked={todo.completed !== 0}
                    onChange={(e) => commit(e.currentTarget.checked ? events.todoCompleted({ id: todo.id }) : events.todoUncompleted({ id: todo.id }))}
                  />
                  <label>{todo.text}</label>
                  <button className="destroy" aria-label="Delete" onClick={() => commit(events.todoDeleted({ id: todo.id, deletedAt: new Date() }))} />
                </div>
              </li>
            ))}
          </ul>
        </main>
        <footer className="footer" hidden={stats.total === 0}>
          <span className="todo-count"><strong>{stats.active}</strong> {stats.active === 1 ? 'item' : 'items'} left</span>
          <ul className="filters">
            {FILTERS.map((f) => (
              <li key={f}><a href={f === 'all' ? '#/' : `#/${f}`} className={f === filter ? 'selected' : undefined}>{f[0]!.toUpperCase() + f.slice(1)}</a></li>
            ))}
          </ul>
          <button className="clear-completed" hidden={stats.completed === 0} onClick={() => commit(events.todoClearedCompleted({ deletedAt: new Date() }))}>Clear completed</button>
        </footer>
      </section>
      <section className="by-element" aria-labelledby="by-element-title">
        <h2 id="by-element-title">The same todos, rendered by &lt;ls-query&gt; from its &lt;template&gt;</h2>
        <ul className="element-list">
          <ls-query sql={ALL_SQL}>
            <template dangerouslySetInnerHTML={{ __html: ROW_TEMPLATE }} />
          </ls-query>
        </ul>
      </section>
      <p className="status" aria-live="polite">{status}</p>
    </ls-store>
  );
}
