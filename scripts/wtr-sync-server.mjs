// A @web/test-runner plugin: runs the real sync server (server/cli.ts, SQLite in a temp dir) for
// the browser tests of the sync client. Pages ask `GET /__sync/url` for its WebSocket URL, and
// `POST /__sync/restart` kills it with SIGKILL and starts it again on the same port and file (a
// crash mid-sync). Tests use their own storeIds, so they share one server.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

function startCli(args) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += String(d); });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^sync server listening on (ws:\/\/\S+)/.exec(line);
      if (m) resolve({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`sync server exited (${code}): ${stderr}`)));
  });
}

async function kill(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await gone;
}

export function syncServerPlugin() {
  let dir;
  let server;
  let restarting;
  return {
    name: 'ls-sync-server',
    async serverStart() {
      dir = mkdtempSync(join(tmpdir(), 'ls-wtr-sync-'));
      server = await startCli(['--port', '0', '--db', join(dir, 'sync.sqlite')]);
    },
    async serve(context) {
      if (context.path === '/__sync/url') return { body: JSON.stringify({ url: server.url }), type: 'application/json' };
      if (context.path === '/__sync/restart' && context.method === 'POST') {
        restarting ??= (async () => {
          const port = new URL(server.url).port;
          await kill(server.child);
          for (let i = 0; ; i++) {
            try {
              server = await startCli(['--port', port, '--db', join(dir, 'sync.sqlite')]);
              break;
            } catch (err) {
              if (i >= 20) throw err; // the port may take a moment to be free again
              await new Promise((r) => setTimeout(r, 100));
            }
          }
        })().finally(() => { restarting = undefined; });
        await restarting;
        return { body: JSON.stringify({ url: server.url }), type: 'application/json' };
      }
      return undefined;
    },
    async serverStop() {
      if (server) await kill(server.child);
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
