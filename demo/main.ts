/**
 * The TodoMVC page's behaviour: DOM events become commits, nothing else. Rendering is done by
 * the `<ls-query>` elements in index.html; this file only shows/hides the main section and the
 * footer from the `stats` query, marks the current filter, and runs the edit field.
 *
 * Query parameters (for tests and demos): `?store=<id>` picks the store (default 'todomvc'),
 * `?reset` wipes its local data when this tab starts the leader, `?sync=<ws url>` overrides the
 * sync server that `npm start` passes in as __LS_SYNC_URL__, `?devtools` adds <ls-devtools>.
 *
 * `<ls-store schema="./schema.ts">` opens the web adapter itself (OPFS, one leader for all
 * tabs). main.ts sets the element's attributes before the elements are defined, so the store opens once,
 * with the right id, instead of opening the default and reopening.
 */
import type { LsQuery, LsStore } from '../elements/index.ts';

declare const __LS_SYNC_URL__: string | undefined;

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

const params = new URLSearchParams(location.search);
const $ = <E extends Element>(selector: string): E => {
  const el = document.querySelector<E>(selector);
  if (el === null) throw new Error(`demo: ${selector} is missing from index.html`);
  return el;
};

const storeEl = $<LsStore>('ls-store');
const todosEl = $<LsQuery>('#todos');
const statsEl = $<LsQuery>('#stats');
const newTodo = $<HTMLInputElement>('.new-todo');
const toggleAll = $<HTMLInputElement>('#toggle-all');
const main = $<HTMLElement>('.main');
const footer = $<HTMLElement>('.footer');
const clearCompleted = $<HTMLButtonElement>('.clear-completed');
const status = $<HTMLElement>('.status');

const storeId = params.get('store') ?? 'todomvc';
const syncUrl = params.get('sync') ?? (typeof __LS_SYNC_URL__ === 'string' ? __LS_SYNC_URL__ : undefined);
storeEl.setAttribute('store-id', storeId);
if (syncUrl !== undefined && syncUrl !== '') storeEl.setAttribute('sync-url', syncUrl);
storeEl.toggleAttribute('reset-persistence', params.has('reset'));

storeEl.addEventListener('ls-ready', () => {
  const s = storeEl.storage;
  if (s === undefined) return;
  status.textContent = `Stored in ${s.storage === 'opfs' ? 'OPFS' : 'memory'}${s.isLeaderTab ? ', this tab runs the leader' : ''}${syncUrl === undefined ? '' : ` · sync ${syncUrl}`}.`;
  if (s.storageNote !== undefined) status.title = s.storageNote;
});
storeEl.addEventListener('ls-error', (e) => {
  status.textContent = `Error: ${(e as CustomEvent<{ error?: { message?: string } }>).detail.error?.message ?? 'see the console'}`;
});

/** Commits once the store is open; input typed while it opens is not lost. */
function commit(name: string, args: unknown): void {
  storeEl.ready.then(() => storeEl.commit(name, args)).catch((err: unknown) => console.error('[demo] commit failed', err));
}

newTodo.addEventListener('keydown', (e) => {
  if (e.key !== 'Enter' || e.isComposing) return;
  const text = newTodo.value.trim();
  if (text === '') return;
  commit('todoCreated', { id: crypto.randomUUID(), text });
  newTodo.value = '';
});

const rowOf = (target: EventTarget | null): TodoRow | undefined => todosEl.rowFor(target as Node | null) as TodoRow | undefined;

todosEl.addEventListener('change', (e) => {
  const target = e.target as HTMLInputElement;
  const row = rowOf(target);
  if (!target.classList.contains('toggle') || row === undefined) return;
  commit(target.checked ? 'todoCompleted' : 'todoUncompleted', { id: row.id });
});

todosEl.addEventListener('click', (e) => {
  const target = e.target as Element;
  const row = rowOf(target);
  if (target.classList.contains('destroy') && row !== undefined) commit('todoDeleted', { id: row.id, deletedAt: new Date() });
});

todosEl.addEventListener('dblclick', (e) => {
  const label = (e.target as Element).closest('label');
  const li = label?.closest('li');
  const row = rowOf(label ?? null);
  if (li === null || li === undefined || row === undefined) return;
  startEditing(li, row);
});

/** Replaces the row's view by an input; Enter or blur saves (empty text deletes), Escape cancels. */
function startEditing(li: HTMLLIElement, row: TodoRow): void {
  if (li.classList.contains('editing')) return;
  const input = document.createElement('input');
  input.className = 'edit';
  input.setAttribute('aria-label', 'Edit todo');
  input.value = row.text;
  let done = false;
  const finish = (save: boolean): void => {
    if (done) return;
    done = true;
    const text = input.value.trim();
    li.classList.remove('editing');
    input.remove();
    if (!save || text === row.text) return;
    if (text === '') commit('todoDeleted', { id: row.id, deletedAt: new Date() });
    else commit('todoTextEdited', { id: row.id, text });
  };
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.isComposing) finish(true);
    else if (e.key === 'Escape') finish(false);
  });
  input.addEventListener('blur', () => finish(true));
  li.classList.add('editing');
  li.append(input);
  input.focus();
  input.setSelectionRange(input.value.length, input.value.length);
}

toggleAll.addEventListener('change', () => {
  const completed = toggleAll.checked;
  void storeEl.ready.then((store) => {
    const ids = store.query({ query: 'SELECT id FROM todos WHERE deletedAt IS NULL AND completed = ?', bindValues: [completed ? 0 : 1] });
    for (const { id } of ids) storeEl.commit(completed ? 'todoCompleted' : 'todoUncompleted', { id });
  });
});

clearCompleted.addEventListener('click', () => commit('todoClearedCompleted', { deletedAt: new Date() }));

statsEl.addEventListener('ls-change', () => {
  const rows = statsEl.rows as readonly StatsRow[] | undefined;
  const stats = rows?.[0] ?? { total: 0, completed: 0, active: 0 };
  main.hidden = stats.total === 0;
  footer.hidden = stats.total === 0;
  clearCompleted.hidden = stats.completed === 0;
  toggleAll.checked = stats.total > 0 && stats.active === 0;
});

/** The filter is the URL hash (#/, #/active, #/completed), so it survives reloads and is per tab. */
function applyFilter(): void {
  const hash = location.hash.replace(/^#\/?/, '');
  const filter = hash === 'active' || hash === 'completed' ? hash : 'all';
  todosEl.params = [filter];
  for (const a of document.querySelectorAll<HTMLAnchorElement>('.filters a')) a.classList.toggle('selected', a.dataset['filter'] === filter);
}
window.addEventListener('hashchange', applyFilter);
applyFilter();

// Defined last, so the elements upgrade with the attributes set above.
await import('../elements/index.ts');

// `?devtools`: <ls-devtools> for this store, loaded only then (its own chunk).
if (params.has('devtools')) {
  void import('../elements/devtools/load-devtools.ts').then(async ({ loadDevtools }) => {
    await loadDevtools();
    const devtools = document.createElement('ls-devtools');
    devtools.open = true;
    storeEl.append(devtools);
  });
}
