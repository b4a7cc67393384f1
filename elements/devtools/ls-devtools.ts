/**
 * `<ls-devtools>`: in-page devtools for a store. Panels: Data (tables and rows, paged, live),
 * Eventlog (seq, name, args, client/session, client-only or its sync number; filter by name),
 * Sync (status, heads, pending, storage, leader tab), Queries (live queries with label, SQL,
 * tables, result size, runs, last run time; signals and computed values), SQL (read-only
 * queries on this tab's database), Export/import (state and eventlog databases).
 *
 * Which store: the `store` property, else `store-id` (looked up in `globalThis.__debugLiveStore`),
 * else the closest `<ls-store>` ancestor's store. Cost when closed: none. Only while `open` is
 * set does it subscribe (one query reading every app table, so any commit refreshes the open
 * panel), and it re-reads at most once per animation frame. Load it lazily, so it stays out of
 * the app's bundle: `await import('ls-elements/devtools')` (see load-devtools.ts).
 */
import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { queryDb } from '../../src/index.ts';
import type { Store } from '../../src/index.ts';
import type { EventlogRow } from '../../src/session/store-dev.ts';
import { OWN_LABEL, PAGE_SIZE, appTables, readEventlog, readLiveQueries, readReactiveValues, readSync, readTablePage, runSql } from './devtools-data.ts';
import type { SqlOutcome, TablePage } from './devtools-data.ts';
import { renderEventlog, renderQueries, renderRows, renderSync } from './devtools-render.ts';
import { devtoolsStyles } from './devtools-styles.ts';

export type DevtoolsPanel = 'data' | 'eventlog' | 'sync' | 'queries' | 'sql' | 'export';
const PANELS: readonly DevtoolsPanel[] = ['data', 'eventlog', 'sync', 'queries', 'sql', 'export'];

export class LsDevtools extends LitElement {
  static override styles = devtoolsStyles;
  static override properties = {
    store: { attribute: false },
    storeId: { attribute: 'store-id' },
    open: { type: Boolean, reflect: true },
    panel: { reflect: true },
    _tick: { state: true },
  };

  store: Store | undefined;
  storeId: string | undefined;
  open = false;
  panel: DevtoolsPanel = 'data';
  declare _tick: number;
  #table: string | undefined;
  #offset = 0;
  #filter = '';
  #eventlog: EventlogRow[] = [];
  #sql: SqlOutcome | undefined;
  #message = '';
  #unsubscribe: (() => void) | undefined;
  #frame: number | undefined;

  constructor() {
    super();
    this._tick = 0;
  }

  /** The store shown, resolved as the file header says. */
  get target(): Store | undefined {
    if (this.store !== undefined) return this.store;
    if (this.storeId !== undefined) return globalThis.__debugLiveStore?.[this.storeId];
    return (this.closest('ls-store') as { store?: Store } | null)?.store;
  }

  #host: Element | null = null;
  readonly #onHostReady = (): void => {
    this.#stop();
    if (this.open) this.#start();
    this._tick++;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    // Inside an <ls-store>: follow its store as it opens (and reopens).
    this.#host = this.closest('ls-store');
    this.#host?.addEventListener('ls-ready', this.#onHostReady);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#host?.removeEventListener('ls-ready', this.#onHostReady);
    this.#host = null;
    this.#stop();
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('open') || changed.has('store') || changed.has('storeId')) {
      this.#stop();
      if (this.open) this.#start();
    }
    if (changed.has('panel') && this.panel === 'eventlog') this.#refreshEventlog();
  }

  #start(): void {
    const store = this.target;
    if (store === undefined || store.isShutdown) return;
    const reads = appTables(store).map((t) => `(SELECT count(*) FROM "${t.replaceAll('"', '""')}" LIMIT 1)`);
    // random(): a fresh result on every run, so each commit to any table reaches the callback.
    const sql = `SELECT random() AS tick${reads.map((r, i) => `, ${r} AS t${i}`).join('')}`;
    this.#unsubscribe = store.subscribe(queryDb({ query: sql }, { label: `${OWN_LABEL}:changes` }), () => this.#schedule());
    this.#schedule();
  }

  #stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    if (this.#frame !== undefined) cancelAnimationFrame(this.#frame);
    this.#frame = undefined;
  }

  #schedule(): void {
    if (this.#frame !== undefined) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = undefined;
      if (this.panel === 'eventlog') this.#refreshEventlog();
      this._tick++;
    });
  }

  #refreshEventlog(): void {
    const store = this.target;
    if (store === undefined || store.isShutdown) return;
    readEventlog(store, this.#filter).then((rows) => {
      this.#eventlog = rows;
      this._tick++;
      this.dispatchEvent(new CustomEvent('ls-devtools-refresh', { detail: { panel: 'eventlog' } }));
    }, (err: unknown) => {
      this.#message = `eventlog: ${String(err)}`;
      this._tick++;
    });
  }

  protected override render(): TemplateResult {
    const store = this.target;
    return html`
      <div class="bar" role="tablist">
        <strong>ls-devtools</strong>
        ${PANELS.map((p) => html`<button role="tab" aria-selected=${p === this.panel} @click=${() => { this.panel = p; }}>${p}</button>`)}
        <button class="toggle" @click=${() => { this.open = !this.open; }}>${this.open ? 'close' : 'open'}</button>
      </div>
      ${!this.open ? nothing : store === undefined ? html`<p class="note">No store: set the store property, store-id, or put this inside an &lt;ls-store&gt;.</p>` : store.isShutdown ? html`<p class="note">The store is shut down.</p>` : html`<section class="panel" data-panel=${this.panel}>${this.#panel(store)}</section>`}
      ${this.#message === '' ? nothing : html`<p class="error">${this.#message}</p>`}
    `;
  }

  #panel(store: Store): TemplateResult {
    switch (this.panel) {
      case 'data': return this.#dataPanel(store);
      case 'eventlog': return html`
        <input class="filter" placeholder="filter by event name" .value=${this.#filter} @input=${(e: Event) => { this.#filter = (e.target as HTMLInputElement).value; this.#refreshEventlog(); }}>
        ${renderEventlog(this.#eventlog)}`;
      case 'sync': return renderSync(readSync(store));
      case 'queries': return renderQueries(readLiveQueries(store), readReactiveValues(store));
      case 'sql': return this.#sqlPanel(store);
      case 'export': return this.#exportPanel(store);
    }
  }

  #dataPanel(store: Store): TemplateResult {
    const tables = appTables(store);
    const table = this.#table !== undefined && tables.includes(this.#table) ? this.#table : tables[0];
    if (table === undefined) return html`<p class="note">This schema has no tables.</p>`;
    const page: TablePage = readTablePage(store, table, this.#offset);
    const go = (offset: number): void => { this.#offset = Math.max(0, offset); this._tick++; };
    return html`
      <nav class="tables">${tables.map((t) => html`<button aria-pressed=${t === table} @click=${() => { this.#table = t; this.#offset = 0; this._tick++; }}>${t}</button>`)}</nav>
      <div class="pager">
        <button ?disabled=${page.offset === 0} @click=${() => go(page.offset - PAGE_SIZE)}>prev</button>
        <span class="range">${page.total === 0 ? 0 : page.offset + 1}–${Math.min(page.total, page.offset + PAGE_SIZE)} of ${page.total}</span>
        <button ?disabled=${page.offset + PAGE_SIZE >= page.total} @click=${() => go(page.offset + PAGE_SIZE)}>next</button>
      </div>
      ${renderRows(page.columns, page.rows)}`;
  }

  #sqlPanel(store: Store): TemplateResult {
    const run = (): void => {
      const text = (this.renderRoot.querySelector('textarea.sql') as HTMLTextAreaElement | null)?.value ?? '';
      this.#sql = runSql(store, text);
      this._tick++;
    };
    const out = this.#sql;
    return html`
      <textarea class="sql" rows="3" placeholder="SELECT * FROM …  (read-only)" @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) run(); }}></textarea>
      <button class="run" @click=${run}>run</button>
      ${out === undefined ? nothing : 'error' in out ? html`<p class="error">${out.error}</p>` : renderRows(out.rows.length === 0 ? [] : Object.keys(out.rows[0]!), out.rows)}`;
  }

  #exportPanel(store: Store): TemplateResult {
    const act = (what: string, fn: () => Promise<unknown>): void => {
      fn().then((r) => { this.#message = ''; this.dispatchEvent(new CustomEvent('ls-devtools-done', { detail: { what, result: r } })); }, (err: unknown) => { this.#message = `${what}: ${(err as { code?: string }).code ?? ''} ${(err as Error).message ?? String(err)}`; this._tick++; });
    };
    const importFile = (e: Event): void => {
      const file = (e.target as HTMLInputElement).files?.[0];
      if (file !== undefined) act('import', async () => store._dev.importEventlog(new Uint8Array(await file.arrayBuffer())));
    };
    return html`
      <button class="download-state" @click=${() => act('download state', () => store._dev.downloadDb({ source: 'leader' }))}>download state db</button>
      <button class="download-eventlog" @click=${() => act('download eventlog', () => store._dev.downloadEventlogDb())}>download eventlog db</button>
      <label>import an eventlog into this (empty) store <input type="file" class="import" accept=".db,.sqlite,application/vnd.sqlite3" @change=${importFile}></label>`;
  }
}

if (typeof customElements !== 'undefined' && customElements.get('ls-devtools') === undefined) customElements.define('ls-devtools', LsDevtools);

declare global {
  interface HTMLElementTagNameMap {
    'ls-devtools': LsDevtools;
  }
}
