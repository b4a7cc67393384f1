/**
 * The React page's entry (demo/react.html). Query parameters as on the TodoMVC page (main.ts):
 * `?store=<id>` (default 'todomvc', so both pages share their todos), `?reset`, `?sync=<ws url>`
 * overriding the `__LS_SYNC_URL__` that `npm start` passes in.
 *
 * The elements are defined before React renders: React sets a prop as a property when the
 * element has it (storeId, schema, params…), else as an attribute of that name, which an
 * element not yet defined would never read.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../elements/index.ts';
import { TodoApp } from './react-todo-app.tsx';

declare const __LS_SYNC_URL__: string | undefined;

const params = new URLSearchParams(location.search);
const syncUrl = params.get('sync') ?? (typeof __LS_SYNC_URL__ === 'string' ? __LS_SYNC_URL__ : '');
const root = document.getElementById('root');
if (root === null) throw new Error('demo: #root is missing from react.html');

createRoot(root).render(
  <StrictMode>
    <TodoApp storeId={params.get('store') ?? 'todomvc'} syncUrl={syncUrl === '' ? undefined : syncUrl} reset={params.has('reset')} />
  </StrictMode>,
);
