#!/usr/bin/env node
// `npm start`: the demo pages on Vite's dev server plus the embedded sync server (SQLite file under
// ./data), both on loopback; prints the URLs once both listen. Ctrl-C stops both.
//
// Environment: LS_SYNC_PORT (default 8787; 0 picks a free port), LS_SYNC_DB (default
// data/sync.sqlite), PORT (Vite's first port to try, default 5173; the next free one is taken).
// The sync URL reaches the demo as the compile-time constant __LS_SYNC_URL__.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { createInterface } from 'node:readline';
import { createServer } from 'vite';

const syncPort = process.env.LS_SYNC_PORT ?? '8787';
const sync = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', '--port', syncPort], { stdio: ['ignore', 'pipe', 'inherit'] });

/** Resolves with the server's real URL (the port may have been 0) from its "listening on" line. */
const syncUrl = await new Promise((resolve, reject) => {
  const lines = createInterface({ input: sync.stdout });
  lines.on('line', (line) => {
    const m = /sync server listening on (ws:\/\/\S+)/.exec(line);
    if (m !== null) resolve(m[1]);
    if (process.env.LS_QUIET !== '1') console.log(`[sync] ${line}`);
  });
  sync.on('exit', (code) => reject(new Error(`the sync server exited (code ${code}) before listening; is port ${syncPort} taken? Try LS_SYNC_PORT=0.`)));
}).catch((err) => {
  console.error(err.message);
  process.exit(1);
});
sync.on('exit', (code) => {
  if (code !== 0 && code !== null) console.error(`sync server exited with code ${code}`);
});

/**
 * dist/ and the no-build page go out as plain files: Vite's dev transforms would rewrite the
 * built scripts (it injects its client into dist/ls-elements.iife.js, breaking the classic
 * script), and the page is meant to show what any static server does.
 */
const RAW = /^\/(dist\/.*|demo\/no-build(\.html|\.js|-schema\.js))$/;
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.map': 'application/json' };
const rawFiles = {
  name: 'ls-raw-files',
  configureServer(server) {
    server.middlewares.use((req, res, next) => {
      const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]));
      if (req.method !== 'GET' || !RAW.test(path) || path.includes('..')) return next();
      readFile(join(process.cwd(), path)).then(
        (body) => res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body),
        () => res.writeHead(404).end(`${path} not found${path.startsWith('/dist/') ? ': run `npm run build`' : ''}`),
      );
    });
  },
};

const vite = await createServer({
  plugins: [rawFiles],
  configFile: 'vite.config.ts',
  server: { port: Number(process.env.PORT ?? 5173) },
  // Scan only the demo pages for dependencies (not bench/ or test/ pages).
  optimizeDeps: { entries: ['index.html', 'demo/**/*.html'] },
  define: { __LS_SYNC_URL__: JSON.stringify(syncUrl) },
});
await vite.listen();
const url = vite.resolvedUrls?.local[0] ?? 'http://127.0.0.1:5173/';
console.log(`\nls-elements demo pages: ${url}`);
console.log(`TodoMVC:                ${url}demo/`);
console.log(`React (same todos):     ${url}demo/react.html`);
console.log(`No-build (script tag):  ${url}demo/no-build.html${existsSync('dist/ls-elements.iife.js') ? '' : '   (run `npm run build` first: it loads dist/)'}`);
console.log(`sync server:            ${syncUrl}`);
console.log('Open TodoMVC in two tabs (and a second browser profile) to see them stay in sync. Ctrl-C stops.\n');

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  sync.kill('SIGTERM');
  await vite.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
