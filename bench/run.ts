/**
 * The benchmark run (`npm run bench [-- --quick]`): every scenario against ls-elements and
 * LiveStore 0.4.0 in one browser, the two measured one after the other inside each scenario (the
 * order alternating between scenarios), every loop bounded in rounds and in time. Samples stay in
 * the JSON; the Markdown table and the SVG chart show medians, p95 and ratios (report.ts).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { createSqliteEventStore } from '../server/sqlite-event-store.ts';
import { startSyncServer } from '../server/sync-server.ts';
import { loadRun } from '../server/load/load-run.ts';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright';
import { bundleSize } from './bundle.ts';
import { startBench, targets, waitReady, type Bench, type TargetName } from './harness.ts';
import { renderMarkdown, renderSvg, type Scenario } from './report.ts';
import { summarize, ratio } from './stats.ts';

const quick = process.argv.includes('--quick');
const p = quick
  ? { cold: 4, rounds: 100, queryRounds: 60, budget: 4000, loop: 2000, loopBudget: 20_000, xtab: 15, reloads: 3, bigEvents: 20_000, bigBudget: 30_000, restarts: 1, syncRounds: 20, loadSeconds: 2 }
  : { cold: 12, rounds: 500, queryRounds: 300, budget: 15_000, loop: 10_000, loopBudget: 90_000, xtab: 60, reloads: 8, bigEvents: 100_000, bigBudget: 240_000, restarts: 3, syncRounds: 100, loadSeconds: 8 };
const runId = `${Date.now().toString(36)}`;
const scenarios: Scenario[] = [];
const load: { at: string; loadavg: number[] }[] = [];
const note = (at: string): void => { load.push({ at, loadavg: loadavg().map((x) => Math.round(x * 100) / 100) }); };
const log = (msg: string): void => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

function record(id: string, title: string, unit: Scenario['unit'], samples: Record<TargetName, number[]>, extra: Record<string, unknown> = {}): void {
  const ls = summarize(samples['ls-elements']);
  const livestore = summarize(samples.livestore);
  scenarios.push({ id, title, unit, ls, livestore, ratio: ratio(ls, livestore), samples, extra });
  log(`${id} ${title}: ls ${ls?.median.toFixed(3)} / livestore ${livestore?.median.toFixed(3)} ${unit}`);
}

const order = (i: number): readonly TargetName[] => (i % 2 === 0 ? targets : [...targets].reverse());
const call = <T>(page: Page, expr: string): Promise<T> => page.evaluate(expr) as Promise<T>;

async function coldStart(b: Bench): Promise<void> {
  const samples: Record<TargetName, number[]> = { 'ls-elements': [], livestore: [] };
  for (let r = 0; r < p.cold; r++) {
    for (const t of order(r)) {
      const page = await b.open(t, `cold-${runId}-${r}`);
      samples[t].push(await call<number>(page, 'window.__readyMs'));
      await call(page, 'window.__b.shutdown()').catch(() => undefined);
      await page.close();
    }
  }
  record('1', 'Cold start to ready (new store, page load to store ready)', 'ms', samples);
}

async function mainStore(b: Bench): Promise<Record<TargetName, Page>> {
  const pages = {} as Record<TargetName, Page>;
  for (const t of targets) pages[t] = await b.open(t, `main-${runId}`);
  return pages;
}

async function inPage(pages: Record<TargetName, Page>, i: number, expr: string): Promise<Record<TargetName, number[]>> {
  const samples: Record<TargetName, number[]> = { 'ls-elements': [], livestore: [] };
  for (const t of order(i)) samples[t] = await call<number[]>(pages[t], expr);
  return samples;
}

/** Commits a cross-tab todo on `from`; ms until `to`'s subscription saw it (polled, at most 10 s). */
async function commitUntilSeen(from: Page, to: Page, who: string): Promise<number> {
  const { id, at } = await call<{ id: string; at: number }>(from, 'window.__b.commitCrossTab()');
  const end = Date.now() + 10_000;
  let seen: number | null = null;
  while (seen === null && Date.now() < end) {
    seen = await to.evaluate((x) => (window as unknown as { __b: { seenCrossTab(id: string): number | null } }).__b.seenCrossTab(x), id);
    if (seen === null) await new Promise((res) => setTimeout(res, 2));
  }
  if (seen === null) throw new Error(`${who} never saw ${id}`);
  return seen - at;
}

async function crossTab(b: Bench): Promise<void> {
  const samples: Record<TargetName, number[]> = { 'ls-elements': [], livestore: [] };
  for (const t of targets) {
    const tabs = [await b.open(t, `xtab-${runId}`), await b.open(t, `xtab-${runId}`)] as const;
    for (const tab of tabs) await call(tab, 'window.__b.watchCrossTab()');
    for (let r = 0; r < p.xtab * 2; r++) {
      const [from, to] = r % 2 === 0 ? tabs : [tabs[1], tabs[0]];
      samples[t].push(await commitUntilSeen(from, to, `${t}: the other tab`));
    }
    for (const tab of tabs) await tab.close();
  }
  record('6', 'Cross-tab: commit in one tab to subscription in the other (both directions)', 'ms', samples);
}

type Memory = { page: number; workers: number; shared: number; total: number; wasm: number | null } | null;

/** Scenario 7 with many events: one store per library seeded to `bigEvents` (bounded in time), then reloaded. */
async function bigReload(b: Bench): Promise<void> {
  const reached: Record<TargetName, { events: number; ms: number }> = {} as never;
  const samples: Record<TargetName, number[]> = { 'ls-elements': [], livestore: [] };
  for (const t of targets) {
    const page = await b.open(t, `big-${runId}`);
    reached[t] = await call(page, `window.__b.seedEvents(${p.bigEvents}, ${p.bigBudget})`);
    log(`7b ${t}: seeded ${reached[t].events} events in ${reached[t].ms.toFixed(0)} ms`);
    for (let r = 0; r < p.reloads; r++) {
      await page.reload();
      samples[t].push(await waitReady(page, t));
    }
    await page.close();
  }
  const n = Math.min(reached['ls-elements'].events, reached.livestore.events);
  record('7b', `Warm reload, ${n.toLocaleString('en')} events, page load to ready`, 'ms', samples, { reached });
}

/** Scenario 7, browser restart: the browser closes and starts again on the same profile; the big store's page opens. */
async function restarts(b: Bench): Promise<void> {
  const samples: Record<TargetName, number[]> = { 'ls-elements': [], livestore: [] };
  for (let r = 0; r < p.restarts; r++) {
    await b.restart();
    for (const t of order(r)) {
      const page = await b.open(t, `big-${runId}`);
      samples[t].push(await call<number>(page, 'window.__readyMs'));
      await page.close();
    }
  }
  record('7c', 'Browser restart, same profile: page load to ready (the 7b store)', 'ms', samples);
}

/**
 * Scenario 10, ls-elements only: two browser profiles (two clients, two OPFS leaders) through a
 * local sync server; then the server's accepted pushes/s on one store with 1, 10 and 50 writers
 * (the load script's runner). LiveStore 0.4.0's sync backends need Cloudflare's workerd
 * (@livestore/sync-cf) or an Electric server (@livestore/sync-electric); neither is set up here.
 */
async function sync(b: Bench): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ls-bench-sync-'));
  const store = await createSqliteEventStore({ path: join(dir, 'sync.sqlite') });
  const server = await startSyncServer({ store, port: 0 });
  const url = `ws://127.0.0.1:${server.port}`;
  try {
    const storeId = `sync-${runId}`;
    const a = await b.open('ls-elements', storeId, { sync: url });
    const c = await b.open('ls-elements', storeId, { sync: url, profile: 1 });
    for (const tab of [a, c]) await call(tab, 'window.__b.watchCrossTab()');
    const samples: number[] = [];
    for (let r = 0; r < p.syncRounds * 2; r++) {
      const [from, to] = r % 2 === 0 ? [a, c] : [c, a];
      samples.push(await commitUntilSeen(from, to, 'sync: the other client'));
    }
    await a.close();
    await c.close();
    record('10a', 'Sync: commit on client A to subscription on client B (two profiles, local server)', 'ms', { 'ls-elements': samples, livestore: [] }, { livestore: 'not measured: its sync backends need workerd (sync-cf) or an Electric server' });
    for (const writers of [1, 10, 50]) {
      const r = await loadRun({ writerUrl: url, watcherUrl: url, stores: 1, writers, seconds: p.loadSeconds, maxPushes: 1_000_000, label: `${writers} writers` });
      record(`10${writers === 1 ? 'b' : writers === 10 ? 'c' : 'd'}`, `Sync server: accepted pushes/s, one store, ${writers} writer${writers === 1 ? '' : 's'} (SQLite)`, 'ops/s', { 'ls-elements': [r.pushesPerSecond], livestore: [] }, { load: r });
    }
  } finally {
    await server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  note('start');
  log(`${quick ? 'quick' : 'full'} run ${runId}`);
  const sizes = { 'ls-elements': await bundleSize('ls-elements'), livestore: await bundleSize('livestore') };
  record('9a', 'Bundle: JS of page and workers, gzip', 'bytes', { 'ls-elements': [sizes['ls-elements'].jsGzip], livestore: [sizes.livestore.jsGzip] }, { sizes });
  record('9b', 'Bundle: JS of page and workers, raw', 'bytes', { 'ls-elements': [sizes['ls-elements'].jsRaw], livestore: [sizes.livestore.jsRaw] });
  record('9c', 'Bundle: wasm, gzip', 'bytes', { 'ls-elements': [sizes['ls-elements'].wasmGzip], livestore: [sizes.livestore.wasmGzip] });
  note('after 9');
  const b = await startBench();
  try {
    // Warm-up: the dev server pre-bundles and transforms on first request; no scenario pays for it.
    for (const t of targets) {
      const page = await b.open(t, `warm-${runId}`);
      await call(page, 'window.__b.seed(0, 10)');
      await page.close();
    }
    note('after warm-up');
    await coldStart(b);
    note('after 1');
    const pages = await mainStore(b);
    for (const t of targets) await call(pages[t], 'window.__b.seed(0, 1000)');
    record('2', 'Commit, then synchronous query sees it (1,000 rows)', 'ms', await inPage(pages, 1, `window.__b.commitThenQuery(${p.rounds}, ${p.budget})`));
    record('3', 'Commit to subscription callback (1,000 rows)', 'ms', await inPage(pages, 0, `window.__b.commitToSubscription(${p.rounds}, ${p.budget})`));
    note('after 2, 3');
    for (const t of targets) await call(pages[t], 'window.__b.seed(1000, 10000)');
    const counts = { 'ls-elements': await call<number>(pages['ls-elements'], 'window.__b.count()'), livestore: await call<number>(pages.livestore, 'window.__b.count()') };
    record('5a', 'Filtered, ordered, limited query (10,000+ rows)', 'ms', await inPage(pages, 1, `window.__b.filteredQuery(${p.queryRounds}, ${p.budget}, false)`), { rows: counts });
    record('5b', 'Same query right after a write', 'ms', await inPage(pages, 0, `window.__b.filteredQuery(${p.queryRounds}, ${p.budget}, true)`));
    record('8', 'Main-thread JS heap after 10,000 rows (after GC)', 'bytes', {
      'ls-elements': [await call<number>(pages['ls-elements'], 'window.__b.heapBytes()')],
      livestore: [await call<number>(pages.livestore, 'window.__b.heapBytes()')],
    });
    const mem = { 'ls-elements': await call<Memory>(pages['ls-elements'], 'window.__b.memory()'), livestore: await call<Memory>(pages.livestore, 'window.__b.memory()') };
    const memRow = (pick: (m: NonNullable<Memory>) => number | null) => ({
      'ls-elements': [mem['ls-elements'] === null ? null : pick(mem['ls-elements'])].filter((x): x is number => x !== null),
      livestore: [mem.livestore === null ? null : pick(mem.livestore)].filter((x): x is number => x !== null),
    });
    record('8b', 'JS memory of the page (measureUserAgentSpecificMemory)', 'bytes', memRow((m) => m.page), { mem });
    record('8c', 'JS memory of its workers (leader, shared)', 'bytes', memRow((m) => m.workers));
    record('8d', 'Wasm memory of the tab\'s SQLite (where the library shows it)', 'bytes', memRow((m) => m.wasm));
    note('after 5, 8');
    const events = { 'ls-elements': [] as number[], livestore: [] as number[] };
    for (let r = 0; r < p.reloads; r++) {
      for (const t of order(r)) {
        await pages[t].reload();
        events[t].push(await waitReady(pages[t], t));
      }
    }
    record('7', 'Warm reload, 10,000 rows (~13,500 events), page load to ready', 'ms', events);
    note('after 7');
    const loop: Record<TargetName, { count: number; loopMs: number; durableMs: number | null }> = {} as never;
    for (const t of order(1)) loop[t] = await call(pages[t], `window.__b.commitLoop(${p.loop}, ${p.loopBudget})`);
    record('4', `${p.loop.toLocaleString('en')} single-event commits: loop time per commit`, 'ms', {
      'ls-elements': [loop['ls-elements'].loopMs / loop['ls-elements'].count],
      livestore: [loop.livestore.loopMs / loop.livestore.count],
    }, { loop });
    note('after 4');
    for (const t of targets) await pages[t].close();
    await crossTab(b);
    note('after 6');
    await bigReload(b);
    note('after 7b');
    await restarts(b);
    note('after 7c');
    await sync(b);
    note('after 10');
  } finally {
    await b.close();
  }
  const result = {
    runId, quick, date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', totalMemBytes: totalmem(), node: process.version, chromium: '/usr/bin/chromium' },
    params: p, load, scenarios,
  };
  const dir = resolve(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = result.date.replace(/[:.]/g, '-');
  writeFileSync(join(dir, `${stamp}.json`), JSON.stringify(result, null, 2));
  writeFileSync(join(dir, `${stamp}.svg`), renderSvg(scenarios));
  writeFileSync(join(dir, `${stamp}.md`), renderMarkdown(result, `${stamp}.svg`));
  if (quick) {
    // A quick run has too few rounds to stand for the suite: the committed report stays the full run's.
    log(`wrote bench/results/${stamp}.{json,md,svg} (bench/REPORT.md is written by full runs only)`);
    return;
  }
  copyFileSync(join(dir, `${stamp}.svg`), resolve(import.meta.dirname, 'ratios.svg'));
  writeFileSync(resolve(import.meta.dirname, 'REPORT.md'), renderMarkdown(result, 'ratios.svg'));
  log(`wrote bench/results/${stamp}.{json,md,svg}, bench/REPORT.md, bench/ratios.svg`);
}

await main();
