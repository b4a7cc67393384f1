/**
 * Harness for the multi-tab e2e tests: a Vite dev server on a free port serving this repository
 * (the test page, the sources, the worker entry points), and Debian's Chromium with a persistent
 * profile in a temp directory (real OPFS; an incognito context is ~100× slower there). Never
 * downloads a browser. Each test uses its own storeId, so tests share one browser and server.
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright';
import { createServer, type ViteDevServer } from 'vite';

export interface Harness {
  readonly context: BrowserContext;
  readonly baseUrl: string;
  close(): Promise<void>;
}

export interface Tab {
  readonly page: Page;
  todos(): Promise<string[]>;
  status(): Promise<{ storage: string; storageNote?: string; isLeaderTab: boolean }>;
  sessionId(): Promise<string>;
  commit(prefix: string, count?: number): Promise<void>;
  flush(): Promise<void>;
  errors(): Promise<string[]>;
}

const root = resolve(import.meta.dirname, '../..');
// The same flags as web-test-runner.config.mjs, plus no throttling of background tabs.
const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
  '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows',
];

export interface HarnessOptions {
  /** Dependencies to pre-bundle when the server starts: CommonJS ones a page imports (React ships no ESM). */
  readonly optimizeDeps?: readonly string[];
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const server: ViteDevServer = await createServer({
    root,
    configFile: false,
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, hmr: false, watch: null, fs: { allow: [root, realpathSync(join(root, 'node_modules'))] } },
    // Dependency discovery at runtime would reload pages mid-test; our dependencies are ESM anyway.
    optimizeDeps: { noDiscovery: true, include: [...(options.optimizeDeps ?? [])] },
    worker: { format: 'es' },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (address === null || address === undefined || typeof address === 'string') throw new Error('vite did not listen');
  const profile = mkdtempSync(join(tmpdir(), 'ls-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: chromiumArgs,
  });
  return {
    context,
    baseUrl: `http://127.0.0.1:${address.port}`,
    async close() {
      await context.close();
      await server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface OpenOptions {
  readonly reset?: boolean;
  /** Hide these globals before any page script runs (e.g. 'SharedWorker', 'OPFS'). */
  readonly hide?: readonly ('SharedWorker' | 'OPFS')[];
}

export function pageUrl(h: Harness, storeId: string, options: OpenOptions = {}): string {
  return `${h.baseUrl}/test/pages/multi-tab.html?store=${encodeURIComponent(storeId)}${options.reset === true ? '&reset' : ''}`;
}

export async function hideGlobals(page: Page, hide: OpenOptions['hide'] = []): Promise<void> {
  if (hide.includes('SharedWorker')) await page.addInitScript(() => Object.defineProperty(window, 'SharedWorker', { value: undefined, configurable: true }));
  if (hide.includes('OPFS')) await page.addInitScript(() => Object.defineProperty(StorageManager.prototype, 'getDirectory', { value: undefined, configurable: true }));
}

/** Opens the test page for `storeId` in a new tab and waits until its store is ready. */
export async function openTab(h: Harness, storeId: string, options: OpenOptions = {}): Promise<Tab> {
  const page = await h.context.newPage();
  page.on('pageerror', (err) => console.error(`[page ${storeId}] ${err.message}`));
  await hideGlobals(page, options.hide);
  await page.goto(pageUrl(h, storeId, options));
  return attach(page);
}

/** Waits for the store of an already navigating page. */
export async function attach(page: Page): Promise<Tab> {
  await page.waitForFunction(() => {
    const w = window as unknown as { __t?: unknown; __bootError?: string };
    return w.__t !== undefined || w.__bootError !== undefined;
  }, undefined, { timeout: 30_000 });
  const bootError = await page.evaluate(() => (window as unknown as { __bootError?: string }).__bootError);
  if (bootError !== undefined) throw new Error(`the page failed to boot: ${bootError}`);
  const t = 'window.__t';
  return {
    page,
    todos: () => page.evaluate(`[...${t}.todos()]`) as Promise<string[]>,
    status: () => page.evaluate(`({ ...${t}.status() })`) as Promise<{ storage: string; storageNote?: string; isLeaderTab: boolean }>,
    sessionId: () => page.evaluate(`${t}.sessionId`) as Promise<string>,
    commit: (prefix, count = 1) => page.evaluate(([p, c]) => (window as unknown as { __t: { commit(p: string, c: number): void } }).__t.commit(p, c), [prefix, count] as const),
    flush: () => page.evaluate(`${t}.flush()`) as Promise<void>,
    errors: () => page.evaluate(`[...${t}.errors]`) as Promise<string[]>,
  };
}

/** Polls until `fn` returns true (the tests have no wall-clock thresholds: this only bounds a hang). */
export async function eventually(fn: () => Promise<boolean>, what: string | (() => string), timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for: ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Which tabs lead: exactly one is expected. */
export async function leaders(tabs: readonly Tab[]): Promise<number> {
  const all = await Promise.all(tabs.map(async (tab) => (await tab.status()).isLeaderTab));
  return all.filter(Boolean).length;
}

let n = 0;
export function uniqueStoreId(label: string): string {
  return `${label}-${process.pid}-${++n}-${Math.random().toString(36).slice(2, 7)}`;
}

/** Waits until every tab sees `expected` todos, checks they see the same ones, returns them. */
export async function sameTodos(tabs: readonly Tab[], expected: number): Promise<string[]> {
  let last: string[][] = [];
  await eventually(async () => {
    last = await Promise.all(tabs.map((t) => t.todos()));
    return last.every((l) => l.length === expected);
  }, () => `every tab sees ${expected} todos (now ${last.map((l) => l.length).join(', ')})`);
  for (const l of last) if (JSON.stringify(l) !== JSON.stringify(last[0])) throw new Error('tabs disagree on the todos');
  return last[0]!;
}
