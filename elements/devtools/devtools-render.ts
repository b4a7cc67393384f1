/**
 * Templates of the devtools panels that only show data. Every value goes through a text binding
 * (`cellText`), so app data can never become markup.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { SqlRow } from '../../src/core/sql-value.ts';
import type { EventlogRow, LiveQueryInfo, ReactiveValueInfo } from '../../src/session/store-dev.ts';
import { cellText, type SyncView } from './devtools-data.ts';

export function renderRows(columns: readonly string[], rows: readonly SqlRow[]): TemplateResult {
  if (rows.length === 0) return html`<p class="note">no rows</p>`;
  return html`<table class="rows"><thead><tr>${columns.map((c) => html`<th>${c}</th>`)}</tr></thead>
    <tbody>${rows.map((r) => html`<tr>${columns.map((c) => html`<td>${cellText(r[c])}</td>`)}</tr>`)}</tbody></table>`;
}

/** The newest events first; at most `limit` of them. */
export function renderEventlog(events: readonly EventlogRow[], limit = 200): TemplateResult {
  if (events.length === 0) return html`<p class="note">no events</p>`;
  const shown = events.slice(-limit).reverse();
  return html`
    <p class="note">${events.length} events${events.length > limit ? html`, newest ${limit} shown` : nothing}</p>
    <table class="eventlog"><thead><tr><th>seq</th><th>name</th><th>args</th><th>client / session</th><th>sync</th></tr></thead>
    <tbody>${shown.map((e) => html`<tr data-id=${e.id}>
      <td>${e.seqNum}</td><td>${e.name}</td><td class="args">${cellText(e.args)}</td>
      <td>${e.clientId} / ${e.sessionId}</td>
      <td class="status" data-status=${e.status}>${e.clientOnly ? 'client only' : e.status === 'local' ? 'local' : `${e.status} #${e.syncSeq ?? ''}`}</td></tr>`)}</tbody></table>`;
}

export function renderSync(v: SyncView): TemplateResult {
  const item = (k: string, value: unknown): TemplateResult => html`<dt>${k}</dt><dd data-key=${k}>${cellText(value)}</dd>`;
  const { sync, storage } = v;
  return html`<dl class="sync">
    ${sync === undefined || sync.phase === 'disabled' ? item('sync', 'local only (no sync url)') : html`
      ${item('sync', sync.phase)}
      ${item('online', sync.online)}
      ${item('pending (server)', sync.pending)}
      ${item('server head', sync.upstreamHead)}
      ${sync.lastError === undefined ? nothing : item('last error', sync.lastError)}`}
    ${item('tab head', v.session.localHead)}
    ${item('leader head (confirmed to this tab)', v.session.upstreamHead)}
    ${item('pending in this tab', v.session.pending)}
    ${item('rebases followed (by changes / by image)', `${v.session.rebases.byChanges} / ${v.session.rebases.byImage}`)}
    ${item('storage', storage.storageNote === undefined ? storage.storage : `${storage.storage} (${storage.storageNote})`)}
    ${item('this tab leads', storage.isLeaderTab)}
  </dl>`;
}

export function renderQueries(queries: readonly LiveQueryInfo[], values: readonly ReactiveValueInfo[]): TemplateResult {
  return html`
    <h3>live queries (${queries.length})</h3>
    <table class="queries"><thead><tr><th>label</th><th>SQL</th><th>tables</th><th>rows</th><th>runs</th><th>last run ms</th><th>subscribers</th></tr></thead>
    <tbody>${queries.map((q) => html`<tr>
      <td>${q.label}</td><td class="sql">${q.sql ?? ''}</td><td>${q.tables.join(', ')}</td><td>${cellText(q.resultSize)}</td>
      <td>${q.runs}</td><td>${q.lastRunMs === undefined ? '' : q.lastRunMs.toFixed(2)}</td><td>${q.subscribers}</td></tr>`)}</tbody></table>
    <h3>signals and computed values (${values.length})</h3>
    <table class="values"><thead><tr><th>kind</th><th>label</th><th>value</th></tr></thead>
    <tbody>${values.map((v) => html`<tr><td>${v.kind}</td><td>${v.label}</td><td>${cellText(v.value)}</td></tr>`)}</tbody></table>`;
}
