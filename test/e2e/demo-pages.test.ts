// The other ways in to the demo: the no-build page (classic script of dist/ only, from a plain
// static server), `npm start` (sync server + dev server), and two browser profiles meeting
// through the sync server. Real Chromium, persistent profiles.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { chromium, type Page } from 'playwright';
import { uniqueStoreId } from './multi-tab-harness.ts';
import { add, counts, item, openDemo, shows, startDemoEnv, type DemoEnv } from './demo-driver.ts';
import { startStaticServer } from './static-server.ts';

let env: DemoEnv;
before(async () => {
  env = await startDemoEnv();
});
after(async () => {
  await env.close();
});

describe('the demo across browser profiles', () => {
  it('syncs two browser profiles through the sync server', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'ls-e2e-profile2-'));
    const other = await chromium.launchPersistentContext(profile, { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const storeId = uniqueStoreId('profiles');
      const a = await openDemo(env, storeId);
      const b = await openDemo(env, storeId, { context: other });
      await add(a, 'from profile a');
      await shows(b, ['from profile a']);
      await add(b, 'from profile b');
      await shows(a, ['from profile a', 'from profile b']);
      await a.close();
    } finally {
      await other.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});

const classicBuild = resolve(import.meta.dirname, '../../dist/ls-elements.iife.js');

describe('the no-build TodoMVC page', () => {
  it('works from the classic script of dist/ alone, in two tabs', { skip: existsSync(classicBuild) ? false : 'dist/ls-elements.iife.js is missing: run `npm run build`' }, async () => {
    const storeId = uniqueStoreId('nobuild');
    // A plain static server with only demo/ and dist/: no bundler, no transforms, no sources.
    const site = await startStaticServer(resolve(import.meta.dirname, '../..'), ['demo', 'dist']);
    const open = async (): Promise<{ page: Page; sources: string[] }> => {
      const page = await env.h.context.newPage();
      const sources: string[] = [];
      page.on('request', (r) => sources.push(new URL(r.url()).pathname));
      page.on('pageerror', (err) => console.error(`[no-build ${storeId}] ${err.message}`));
      await page.goto(`${site.url}/demo/no-build.html?store=${encodeURIComponent(storeId)}`);
      await page.waitForSelector('ls-store[state=ready]', { timeout: 30_000 });
      return { page, sources };
    };
    const a = await open();
    const b = await open();
    await add(a.page, 'no bundler');
    await shows(b.page, ['no bundler']);
    await item(b.page, 'no bundler').locator('.toggle').check();
    await counts(a.page, '0 items left');
    assert.equal(await a.page.evaluate(() => typeof (globalThis as { LS?: unknown }).LS), 'object');
    // Only dist/ and the demo's own files: nothing from the sources.
    const fromSources = a.sources.filter((p) => /^\/(src|elements|workers|node_modules)\//.test(p));
    assert.deepEqual(fromSources, []);
    await Promise.all([a.page.close(), b.page.close()]);
    await site.close();
  });
});

describe('npm start', () => {
  it('starts the sync server and the dev server, prints their URLs and serves the demo pages', async () => {
    const root = resolve(import.meta.dirname, '../..');
    const data = mkdtempSync(join(tmpdir(), 'ls-start-'));
    const child = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LS_SYNC_PORT: '0', LS_SYNC_DB: join(data, 'sync.sqlite'), PORT: '0', LS_QUIET: '1' },
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const urls: Record<string, string> = {};
      await new Promise<void>((done, fail) => {
        child.on('exit', (code) => fail(new Error(`npm start exited with code ${code}: ${stderr}`)));
        createInterface({ input: child.stdout! }).on('line', (line) => {
          const m = /^(TodoMVC|sync server|ls-elements demo pages):\s+(\S+)/.exec(line);
          if (m !== null) urls[m[1]!] = m[2]!;
          if (urls['TodoMVC'] !== undefined && urls['sync server'] !== undefined && urls['ls-elements demo pages'] !== undefined) done();
        });
      });
      assert.match(urls['sync server']!, /^ws:\/\/127\.0\.0\.1:\d+$/);
      const demo = await (await fetch(urls['TodoMVC']!)).text();
      assert.match(demo, /<ls-store[^>]*schema="\.\/schema\.ts"/);
      assert.match(await (await fetch(urls['ls-elements demo pages']!)).text(), /href="\/demo\/"/);
      const schema = await fetch(new URL('schema.ts', urls['TodoMVC']!));
      assert.equal(schema.status, 200);
      assert.match(await schema.text(), /v1\.TodoCreated/);
      // The sync server's URL reaches the page (as __LS_SYNC_URL__).
      const page = await env.h.context.newPage();
      await page.goto(`${urls['TodoMVC']!}?store=${uniqueStoreId('start')}`);
      await page.waitForSelector('ls-store[state=ready]', { timeout: 30_000 });
      assert.equal(await page.locator('ls-store').getAttribute('sync-url'), urls['sync server']);
      if (existsSync(classicBuild)) {
        // The no-build page and dist/ go out untransformed, and work from there.
        const base = urls['ls-elements demo pages']!;
        assert.doesNotMatch(await (await fetch(new URL('dist/ls-elements.iife.js', base))).text(), /^import /);
        assert.doesNotMatch(await (await fetch(new URL('demo/no-build.html', base))).text(), /@vite\/client/);
        await page.goto(`${base}demo/no-build.html?store=${uniqueStoreId('start-nb')}`);
        await page.waitForSelector('ls-store[state=ready]', { timeout: 30_000 });
        await add(page, 'served by npm start');
        await shows(page, ['served by npm start']);
      }
      await page.close();
    } finally {
      child.kill('SIGTERM');
      rmSync(data, { recursive: true, force: true });
    }
  });
});
