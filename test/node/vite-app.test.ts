/**
 * ls-elements as a dependency of someone else's Vite app. A temp app (package.json, index.html,
 * schema.ts, its own leader worker file, main.ts) imports 'ls-elements', 'ls-elements/core' and
 * 'ls-elements/worker' as the README shows; its node_modules/ls-elements is a link to this
 * repository. `resolve.preserveSymlinks` keeps that path under node_modules, so Vite treats the
 * package as installed (a dependency it pre-bundles in dev unless told not to), not as linked
 * sources; everything else resolves through the link, from the repository's node_modules.
 *
 * Checked: the app type-checks against the package's declarations; `vite build` output, served
 * by a plain static server, opens a store in Debian's Chromium (persistent profile: real OPFS)
 * with the app's own leader worker, the wasm and the SharedWorker switchboard all from the built
 * files, and a commit shows in an `<ls-query>` and in `store.query` of a second tab; the dev
 * server does the same with the README's `optimizeDeps.exclude`.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright';
import { build, createServer, type InlineConfig } from 'vite';
import { startStaticServer } from '../e2e/static-server.ts';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'ls-vite-app-'));
const app = join(work, 'app');
const out = join(work, 'out');

/** The Vite config the README documents for apps (the dev server only needs it). */
const APP_CONFIG = { optimizeDeps: { exclude: ['ls-elements', '@livestore/wa-sqlite'] } } satisfies InlineConfig;
/** What every run here adds: this app, quiet, and the linked package seen as installed. */
const TEST_CONFIG = { ...APP_CONFIG, root: app, configFile: false, logLevel: 'silent', resolve: { preserveSymlinks: true } } satisfies InlineConfig;

const FILES: Readonly<Record<string, string>> = {
  'package.json': JSON.stringify({ name: 'ls-vite-app', private: true, type: 'module', dependencies: { 'ls-elements': '*' } }),
  'index.html': `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>app</title></head>
<body>
  <ls-store><ul><ls-query sql="SELECT id, text FROM todos ORDER BY id"><template><li>{{row.text}}</li></template></ls-query></ul></ls-store>
  <script type="module" src="./main.ts"></script>
</body></html>`,
  // Schema modules import the core entry: the worker imports them too, and has no DOM.
  'schema.ts': `import { Events, makeSchema, Schema, State } from 'ls-elements/core';
export const todos = State.SQLite.table({ name: 'todos', columns: { id: State.SQLite.text({ primaryKey: true }), text: State.SQLite.text({ default: '' }) } });
export const events = { todoCreated: Events.synced({ name: 'v1.TodoCreated', schema: Schema.Struct({ id: Schema.String, text: Schema.String }) }) };
const materializers = State.SQLite.materializers(events, { 'v1.TodoCreated': ({ id, text }) => todos.insert({ id, text }) });
export const schema = makeSchema({ events, state: State.SQLite.makeState({ tables: { todos }, materializers }) });
`,
  'ls.worker.ts': `import { makeWorker } from 'ls-elements/worker';
import { schema } from './schema.ts';
makeWorker({ schema });
`,
  'main.ts': `import { createStorePromise, makePersistedAdapter, type LsStore } from 'ls-elements';
import LsWorker from './ls.worker.ts?worker';
import { events, schema, todos } from './schema.ts';

const storeId = new URLSearchParams(location.search).get('store') ?? 'app';
const store = await createStorePromise({ schema, storeId, adapter: makePersistedAdapter({ worker: LsWorker }) });
const el = document.querySelector('ls-store') as LsStore;
el.store = store;
await el.ready;
const texts: () => string[] = () => store.query(todos.orderBy('id')).map((row) => row.text);
Object.assign(window, {
  __app: { storage: store.storage, texts, add: (id: string, text: string) => void store.commit(events.todoCreated({ id, text })) },
});
`,
  // What vite/client declares for ?worker imports (the app has no vite of its own to point at).
  'env.d.ts': `declare module '*?worker' {
  const WorkerConstructor: new (options?: { name?: string }) => Worker;
  export default WorkerConstructor;
}
`,
  'tsconfig.json': JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2023', 'DOM', 'DOM.Iterable'], types: [],
      strict: true, noEmit: true, allowImportingTsExtensions: true, isolatedModules: true, verbatimModuleSyntax: true,
    },
    include: ['*.ts'],
  }),
};

interface AppHandle {
  readonly storage: { readonly storage: string; readonly isLeaderTab: boolean };
  texts(): string[];
  add(id: string, text: string): void;
}

function writeApp(): void {
  mkdirSync(join(app, 'node_modules'), { recursive: true });
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(app, name), text);
  symlinkSync(root, join(app, 'node_modules/ls-elements'), 'dir');
}

/** Opens the app for `storeId`, waits for its store; collects page errors and failed requests. */
async function open(context: BrowserContext, base: string, storeId: string, problems: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
  });
  const consoleLines: string[] = [];
  page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  await page.goto(`${base}/?store=${encodeURIComponent(storeId)}`);
  await page.waitForFunction(() => '__app' in window, undefined, { timeout: 20_000 }).catch((err: unknown) => {
    throw new Error(`${base} did not open store ${storeId}; console: ${JSON.stringify(consoleLines)}`, { cause: err });
  });
  return page;
}

const storage = (page: Page): Promise<AppHandle['storage']> => page.evaluate(() => (window as unknown as { __app: AppHandle }).__app.storage);
const add = (page: Page, id: string, text: string): Promise<void> => page.evaluate(([i, t]) => (window as unknown as { __app: AppHandle }).__app.add(i, t), [id, text] as const);
/** Waits until both the store's query and the `<ls-query>` list show `expected`. */
async function shows(page: Page, expected: readonly string[]): Promise<void> {
  const want = JSON.stringify(expected);
  let last = '';
  for (const end = Date.now() + 15_000; ; ) {
    const seen = await page.evaluate(() => ({
      query: (window as unknown as { __app: AppHandle }).__app.texts(),
      element: [...document.querySelectorAll('ls-query li')].map((li) => li.textContent),
    }));
    last = JSON.stringify(seen);
    if (JSON.stringify(seen.query) === want && JSON.stringify(seen.element) === want) return;
    if (Date.now() > end) throw new Error(`the page shows ${last}, not ${want} in both the query and <ls-query>`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Two tabs of one store: the first leads, the second reaches it through the switchboard. */
async function checkTwoTabs(context: BrowserContext, base: string, storeId: string): Promise<void> {
  const problems: string[] = [];
  const a = await open(context, base, storeId, problems);
  assert.deepEqual(await storage(a), { storage: 'opfs', isLeaderTab: true });
  await add(a, '1', 'committed in tab a');
  await shows(a, ['committed in tab a']);
  const b = await open(context, base, storeId, problems);
  assert.deepEqual(await storage(b), { storage: 'opfs', isLeaderTab: false });
  await shows(b, ['committed in tab a']);
  await add(b, '2', 'committed in tab b');
  await shows(a, ['committed in tab a', 'committed in tab b']);
  await Promise.all([a.close(), b.close()]);
  assert.deepEqual(problems, []);
}

describe('ls-elements in a separate Vite app', { timeout: 60_000 }, () => {
  let context: BrowserContext;

  before(async () => {
    writeApp();
    context = await chromium.launchPersistentContext(join(work, 'profile'), {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
  });
  after(async () => {
    await context?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('type-checks against the package\'s declarations (types conditions of exports)', () => {
    execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(app, 'tsconfig.json')], { cwd: app, stdio: 'pipe' });
  });

  it('builds with vite build into files that open a persisted store shared by two tabs', async () => {
    await build({ ...TEST_CONFIG, build: { outDir: out, emptyOutDir: true } });
    const assets = readdirSync(join(out, 'assets'));
    // The app's leader worker, the switchboard (a file: a data: URL worker could not take Web Locks) and the wasm.
    for (const name of [/^ls\.worker-.*\.js$/, /^shared\.worker-.*\.js$/, /^wa-sqlite-.*\.wasm$/]) {
      assert.ok(assets.some((f) => name.test(f)), `no ${String(name)} among ${assets.join(', ')}`);
    }
    const site = await startStaticServer(out, ['', 'assets']);
    try {
      await checkTwoTabs(context, site.url, 'built');
    } finally {
      await site.close();
    }
  });

  it('runs on the Vite dev server with optimizeDeps.exclude as the README says', async () => {
    const server = await createServer({ ...TEST_CONFIG, server: { host: '127.0.0.1', port: 0, hmr: false, watch: null } });
    await server.listen();
    try {
      const base = (server.resolvedUrls?.local[0] ?? '').replace(/\/$/, '');
      // The first visit lets Vite find and pre-bundle the package's dependencies (Lit, nanoid…),
      // which reloads the page once; the checks run on a visit after that, as a user's would.
      const warm = await context.newPage();
      await warm.goto(`${base}/?store=dev-warm-up`);
      await warm.waitForFunction(() => '__app' in window, undefined, { timeout: 30_000 });
      await warm.close();
      await checkTwoTabs(context, base, 'dev');
    } finally {
      await server.close();
    }
  });
});
