/**
 * The benchmark's browser and server: one Vite dev server for the repository (both bench pages,
 * the ls-elements sources and workers, LiveStore from bench/node_modules, pre-bundled the way a
 * LiveStore app's Vite dev server does it) and Debian's Chromium, headless, with a persistent
 * profile in a temp directory (real OPFS). Never downloads a browser.
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright';
import { createServer, type ViteDevServer } from 'vite';

export type TargetName = 'ls-elements' | 'livestore';
export const targets: readonly TargetName[] = ['ls-elements', 'livestore'];
const pagePath: Record<TargetName, string> = { 'ls-elements': 'bench/pages/ls.html', livestore: 'bench/pages/livestore.html' };

const root = resolve(import.meta.dirname, '..');
const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
  '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows',
  '--enable-precise-memory-info', '--js-flags=--expose-gc',
  // performance.measureUserAgentSpecificMemory() answers at once instead of at the next GC (up to 20 s).
  '--enable-blink-features=ForceEagerMeasureMemory',
];

export interface Bench {
  readonly context: BrowserContext;
  /** Opens a store page; `sync`: the sync server URL (ls-elements only); `profile` 1: the second browser. */
  open(target: TargetName, storeId: string, options?: { readonly sync?: string; readonly profile?: 0 | 1 }): Promise<Page>;
  /** Closes the first browser and starts it again on the same profile (scenario 7, browser restart). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Waits until the page's store is ready (window.__b) and returns its ms since navigation start. */
export async function waitReady(page: Page, target: TargetName): Promise<number> {
  await page.waitForFunction(() => {
    const w = window as unknown as { __b?: unknown; __bootError?: string };
    return w.__b !== undefined || w.__bootError !== undefined;
  }, undefined, { timeout: 60_000 });
  const { bootError, readyMs } = await page.evaluate(() => {
    const w = window as unknown as { __bootError?: string; __readyMs: number };
    return { bootError: w.__bootError, readyMs: w.__readyMs };
  });
  if (bootError !== undefined) throw new Error(`${target} failed to boot: ${bootError}`);
  return readyMs;
}

export async function startBench(): Promise<Bench> {
  const server: ViteDevServer = await createServer({
    root,
    configFile: false,
    logLevel: 'error',
    server: {
      host: '127.0.0.1', port: 0, hmr: false, watch: null,
      // Cross-origin isolation: performance.now() then resolves ~5 µs instead of 100 µs.
      headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
      fs: { allow: [root, realpathSync(join(root, 'node_modules')), realpathSync(join(root, 'bench/node_modules'))] },
    },
    // LiveStore's documented Vite setup: wa-sqlite is not pre-bundled (its wasm is fetched by URL).
    optimizeDeps: { entries: Object.values(pagePath), exclude: ['@livestore/wa-sqlite'] },
    worker: { format: 'es' },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (address === null || address === undefined || typeof address === 'string') throw new Error('vite did not listen');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const launch = (dir: string): Promise<BrowserContext> => chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: chromiumArgs,
  });
  const profile = mkdtempSync(join(tmpdir(), 'ls-bench-profile-'));
  let context = await launch(profile);
  // A second browser profile (another client with its own OPFS), started on first use (scenario 10).
  let second: { dir: string; context: BrowserContext } | undefined;
  return {
    get context() {
      return context;
    },
    async open(target, storeId, options = {}) {
      if (options.profile === 1 && second === undefined) {
        const dir = mkdtempSync(join(tmpdir(), 'ls-bench-profile-b-'));
        second = { dir, context: await launch(dir) };
      }
      const page = await (options.profile === 1 ? second!.context : context).newPage();
      page.on('pageerror', (err) => console.error(`[${target} ${storeId}] ${err.message}`));
      const sync = options.sync === undefined ? '' : `&sync=${encodeURIComponent(options.sync)}`;
      await page.goto(`${baseUrl}/${pagePath[target]}?store=${encodeURIComponent(storeId)}${sync}`);
      await waitReady(page, target);
      return page;
    },
    async restart() {
      await context.close();
      context = await launch(profile);
    },
    async close() {
      await context.close();
      if (second !== undefined) {
        await second.context.close();
        rmSync(second.dir, { recursive: true, force: true });
      }
      await server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
