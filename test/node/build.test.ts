/**
 * The distribution build (`npm run build`), run into a temp folder: the files exist, the size
 * budget holds, the ESM file evaluates without a DOM (as in the leader worker) and exports the
 * whole public API, the classic script assigns the global `LS`, and, in Debian's Chromium, the
 * built files work when served from a sub-path other than the page's: a no-build page (classic
 * script, plain schema module importing ls-elements.js) and an ESM page each open a store whose
 * leader worker and wasm load next to the script, with OPFS persistence.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { chromium, type BrowserContext } from 'playwright';
import { measure } from '../../scripts/size-budget.mjs';

const root = resolve(import.meta.dirname, '../..');
const bin = (name: string): string => join(root, 'node_modules/.bin', name);
const work = mkdtempSync(join(tmpdir(), 'ls-build-'));
const out = join(work, 'dist');

function build(): void {
  const opts = { cwd: root, stdio: 'pipe' as const };
  execFileSync(bin('vite'), ['build', '--outDir', out, '--logLevel', 'error'], opts);
  execFileSync(bin('vite'), ['build', '--mode', 'classic', '--outDir', out, '--logLevel', 'error'], opts);
  execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json', '--outDir', join(out, 'types')], opts);
}

/** The value names src/index.ts exports (its `export { … } from` lines, without `export type`). */
function publicValueExports(): string[] {
  const source = readFileSync(join(root, 'src/index.ts'), 'utf8');
  const names: string[] = [];
  for (const m of source.matchAll(/^export \{([^}]*)\} from/gm)) {
    for (const part of m[1]!.split(',')) {
      const name = part.trim().split(/\s+as\s+/).pop()!;
      if (name !== '' && !name.startsWith('type ')) names.push(name);
    }
  }
  return names;
}

const SCHEMA_JS = `import { Events, State, Schema, makeSchema } from './ls-elements.js';
export const events = { todoCreated: Events.synced({ name: 'v1.TodoCreated', schema: Schema.Struct({ id: Schema.String, text: Schema.String }) }) };
const todos = State.SQLite.table({ name: 'todos', columns: { id: State.SQLite.text({ primaryKey: true }), text: State.SQLite.text({ default: '' }) } });
const materializers = State.SQLite.materializers(events, { 'v1.TodoCreated': ({ id, text }) => todos.insert({ id, text }) });
export const schema = makeSchema({ events, state: State.SQLite.makeState({ tables: { todos }, materializers }) });
`;
const BODY = (storeId: string): string => `<ls-store store-id="${storeId}" schema="/cdn/v1/schema.js" reset-persistence>
  <ul><ls-query sql="SELECT id, text FROM todos ORDER BY id"><template><li>{{row.text}}</li></template></ls-query></ul>
</ls-store>`;
const PAGES: Record<string, string> = {
  '/app/classic.html': `<!doctype html><meta charset="utf-8"><script src="/cdn/v1/ls-elements.iife.js"></script>${BODY('build-classic')}`,
  '/app/esm.html': `<!doctype html><meta charset="utf-8"><script type="module">import '/cdn/v1/ls-elements.js';</script>${BODY('build-esm')}`,
};
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.map': 'application/json' };

/** Serves the build under /cdn/v1/ (plus schema.js) and the pages under /app/; records 404s. */
function serve(missing: string[]): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const page = PAGES[path];
    let body: string | Buffer | undefined = page;
    if (path === '/cdn/v1/schema.js') body = SCHEMA_JS;
    else if (body === undefined && path.startsWith('/cdn/v1/')) {
      const file = normalize(join(out, path.slice('/cdn/v1/'.length)));
      if (file.startsWith(out) && existsSync(file)) body = readFileSync(file);
    }
    if (body === undefined) {
      if (path !== '/favicon.ico') missing.push(path);
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    done({ server, base: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}` });
  }));
}

describe('npm run build', { timeout: 120_000 }, () => {
  before(build);
  after(() => rmSync(work, { recursive: true, force: true }));

  it('writes the ESM and classic scripts, both workers, the wasm and the type declarations', () => {
    for (const file of ['ls-elements.js', 'ls-elements.iife.js', 'leader.worker.js', 'shared.worker.js', 'wa-sqlite.wasm', 'types/elements/ls-elements.d.ts', 'types/src/index.d.ts']) {
      assert.ok(existsSync(join(out, file)), `${file} is missing from the build`);
    }
  });

  it('stays within the size budget', () => {
    const over = measure(out).filter((r) => r.over.length > 0);
    assert.deepEqual(over, []);
  });

  it('refers to its workers and the wasm relative to the script, never by an absolute path', () => {
    for (const file of ['ls-elements.js', 'ls-elements.iife.js', 'leader.worker.js']) {
      const code = readFileSync(join(out, file), 'utf8');
      assert.doesNotMatch(code, /["'`]\/(leader|shared)\.worker\.js|["'`]\/wa-sqlite\.wasm/, file);
    }
  });

  it('evaluates the ESM file without a DOM and exports every value of the public API plus the elements', async () => {
    const mod = (await import(join(out, 'ls-elements.js'))) as Record<string, unknown>;
    const expected = [...publicValueExports(), 'LsStore', 'LsQuery', 'LsSyncStatus', 'QueryController', 'storeContext', 'defineElements'];
    assert.ok(expected.length > 20);
    assert.deepEqual(expected.filter((name) => mod[name] === undefined), []);
  });

  it('assigns the global LS from the classic script', () => {
    const code = readFileSync(join(out, 'ls-elements.iife.js'), 'utf8');
    // A minimal window: what the script reads when it runs (no custom elements: none get defined).
    const document = { currentScript: null, baseURI: 'http://example.test/app/', createTreeWalker: () => ({}) };
    const sandbox: Record<string, unknown> = { URL, TextEncoder, TextDecoder, Event, EventTarget, CustomEvent, console, queueMicrotask, setTimeout, clearTimeout, crypto, document };
    sandbox['globalThis'] = sandbox;
    sandbox['window'] = sandbox;
    runInNewContext(code, sandbox);
    const LS = sandbox['LS'] as Record<string, unknown> | undefined;
    assert.equal(typeof LS?.['makeSchema'], 'function');
    assert.equal(typeof LS?.['createStorePromise'], 'function');
    assert.equal(typeof LS?.['LsStore'], 'function');
  });

  describe('in Chromium, served from /cdn/v1/ to pages under /app/', () => {
    let context: BrowserContext;
    let server: Server;
    let base: string;
    const missing: string[] = [];
    const profile = join(work, 'profile');

    before(async () => {
      ({ server, base } = await serve(missing));
      context = await chromium.launchPersistentContext(profile, {
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
      });
    });
    after(async () => {
      await context?.close();
      server?.close();
    });

    for (const kind of ['classic', 'esm']) {
      it(`opens a persisted store from the ${kind} build, its leader worker and wasm found next to the script`, async () => {
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (err) => errors.push(err.message));
        await page.goto(`${base}/app/${kind}.html`);
        const result = await page.evaluate(async () => {
          const el = document.querySelector('ls-store') as unknown as {
            ready: Promise<{ storage: { storage: string; isLeaderTab: boolean }; flush(): Promise<void> }>;
            commit(name: string, args: unknown): unknown;
          };
          const store = await el.ready;
          el.commit('todoCreated', { id: '1', text: '<img src=x onerror="window.__pwned=1">' });
          await store.flush();
          await new Promise((r) => setTimeout(r, 50));
          return {
            storage: store.storage,
            items: [...document.querySelectorAll('li')].map((li) => li.textContent),
            pwned: (window as { __pwned?: number }).__pwned,
            hasLS: typeof (window as { LS?: unknown }).LS,
          };
        });
        await page.close();
        assert.deepEqual(errors, []);
        assert.deepEqual(result.storage, { storage: 'opfs', isLeaderTab: true });
        assert.deepEqual(result.items, ['<img src=x onerror="window.__pwned=1">']);
        assert.equal(result.pwned, undefined);
        assert.equal(result.hasLS, kind === 'classic' ? 'object' : 'undefined');
        assert.deepEqual(missing, []);
      });
    }
  });
});
