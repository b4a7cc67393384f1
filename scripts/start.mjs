#!/usr/bin/env node
// `npm start`: the demo on Vite's dev server plus the embedded sync server (SQLite file under
// ./data), both on loopback; prints the URLs. Ctrl-C stops both.
import { spawn } from 'node:child_process';
import { createServer } from 'vite';

const syncPort = Number(process.env.LS_SYNC_PORT ?? 8787);
const sync = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', '--port', String(syncPort)], { stdio: 'inherit' });
sync.on('exit', (code) => {
  if (code !== 0 && code !== null) console.error(`sync server exited with code ${code}`);
});

const vite = await createServer({ configFile: 'vite.config.ts', define: { __LS_SYNC_URL__: JSON.stringify(`ws://127.0.0.1:${syncPort}`) } });
await vite.listen();
const url = vite.resolvedUrls?.local[0] ?? 'http://127.0.0.1:5173/';
console.log(`\nls-elements demo:   ${url}demo/`);
console.log(`sync server:        ws://127.0.0.1:${syncPort}`);
console.log('Open the demo in two tabs (and a second browser profile) to see them stay in sync. Ctrl-C stops.\n');

const stop = async () => {
  sync.kill('SIGTERM');
  await vite.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
