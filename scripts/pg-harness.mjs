#!/usr/bin/env node
// A throwaway PostgreSQL for tests: `startThrowawayPostgres({ port }) → { url, port, dataDir, stop() }`.
//
// - Binaries come from /usr/lib/postgresql/<version>/bin (newest first), else PATH; when missing it runs
//   `apt-get update && apt-get install -y postgresql` (as root, printing what it does).
// - initdb refuses to run as root, so as root every server command runs through
//   `runuser -u postgres --`; the fresh temp dir is chowned to that user. Trust auth, loopback only,
//   the unix socket lives in the temp dir (no /var/run/postgresql, no systemd).
// - Port: the requested one (default 55432) if free, else the next free one; a start that still loses
//   a port race is retried on another port.
// - Each running cluster is recorded in <tmpdir>/ls-pg-harness/<name>.json with the pid of the node
//   process that owns it. A later start stops and deletes clusters whose owner is dead (leftovers of a
//   crashed run), never those of a live process (helpers run tests in parallel). An exit hook stops
//   this process's clusters if stop() was never called.
// CLI: `node scripts/pg-harness.mjs [--port=N]` starts one, prints the URL, stops on SIGINT/SIGTERM.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const registryDir = join(tmpdir(), 'ls-pg-harness');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const live = new Set(); // clusters started by this process and not yet stopped

function sh(cmd, args, { check = true, quiet = false } = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: quiet ? 'pipe' : ['ignore', 'pipe', 'pipe'] });
  if (check && r.status !== 0) {
    throw new Error(`pg-harness: \`${cmd} ${args.join(' ')}\` failed (${r.status ?? r.signal}): ${(r.stderr || r.stdout || r.error?.message || '').trim()}`);
  }
  return r;
}

/** Runs a server binary as the postgres user when we are root (initdb and postgres refuse root). */
function asPostgres(bin, args, opts) {
  return isRoot ? sh('runuser', ['-u', 'postgres', '--', bin, ...args], opts) : sh(bin, args, opts);
}

function findBinDir() {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base).filter((v) => /^\d+(\.\d+)?$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) {
      const dir = join(base, v, 'bin');
      if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
    }
  }
  const which = sh('sh', ['-c', 'command -v pg_ctl'], { check: false, quiet: true });
  const pgCtl = which.status === 0 ? which.stdout.trim() : '';
  if (pgCtl && existsSync(join(pgCtl, '..', 'initdb'))) return join(pgCtl, '..');
  return undefined;
}

function ensureBinDir() {
  const found = findBinDir();
  if (found) return found;
  if (!isRoot) throw new Error('pg-harness: PostgreSQL is not installed; run `apt-get install -y postgresql` as root.');
  console.log('pg-harness: PostgreSQL not found; running `apt-get update && apt-get install -y postgresql`');
  for (const args of [['update'], ['install', '-y', 'postgresql']]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) throw new Error(`pg-harness: \`apt-get ${args.join(' ')}\` failed (${r.status ?? r.signal})`);
  }
  const dir = findBinDir();
  if (!dir) throw new Error('pg-harness: installed postgresql but found no initdb/pg_ctl under /usr/lib/postgresql/*/bin');
  return dir;
}

function postgresIds() {
  const uid = Number(sh('id', ['-u', 'postgres'], { quiet: true }).stdout.trim());
  const gid = Number(sh('id', ['-g', 'postgres'], { quiet: true }).stdout.trim());
  return { uid, gid };
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

async function freePortFrom(port) {
  for (let p = port; p < port + 200 && p < 65536; p++) if (await portIsFree(p)) return p;
  throw new Error(`pg-harness: no free port in ${port}…${port + 199}`);
}

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

function stopCluster(binDir, dir, mode) {
  const dataDir = join(dir, 'data');
  if (existsSync(join(dataDir, 'postmaster.pid'))) {
    asPostgres(join(binDir, 'pg_ctl'), ['stop', '-D', dataDir, '-m', mode, '-w', '-t', '30'], { check: false, quiet: true });
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Stops clusters recorded by harness runs whose owning process is gone. */
function reapLeftovers(binDir) {
  if (!existsSync(registryDir)) return;
  for (const name of readdirSync(registryDir)) {
    if (!name.endsWith('.json')) continue;
    const file = join(registryDir, name);
    let rec;
    try {
      rec = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      continue; // being written by a live run
    }
    if (processAlive(rec.ownerPid)) continue;
    console.log(`pg-harness: stopping leftover cluster ${rec.dir} (owner ${rec.ownerPid} is gone)`);
    stopCluster(binDir, rec.dir, 'immediate');
    rmSync(file, { force: true });
  }
}

function tryStart(binDir, dataDir, sockDir, port, logFile) {
  const opts = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${sockDir}`;
  const r = asPostgres(join(binDir, 'pg_ctl'), ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '30', '-o', opts], { check: false, quiet: true });
  if (r.status === 0) return { ok: true };
  const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
  return { ok: false, portTaken: /could not bind|Address already in use|lock file .* already exists/i.test(log), log: `${r.stderr}\n${log}`.trim() };
}

/**
 * Starts a fresh PostgreSQL cluster on 127.0.0.1 and creates database `ls_test` in it.
 * @param {{ port?: number, database?: string }} [options]
 * @returns {Promise<{ url: string, port: number, dataDir: string, stop(): Promise<void> }>}
 */
export async function startThrowawayPostgres({ port = 55432, database = 'ls_test' } = {}) {
  const binDir = ensureBinDir();
  reapLeftovers(binDir);
  mkdirSync(registryDir, { recursive: true, mode: 0o777 });
  const dir = mkdtempSync(join(tmpdir(), 'ls-pg-'));
  const record = join(registryDir, `${basename(dir)}.json`);
  writeFileSync(record, JSON.stringify({ dir, ownerPid: process.pid }));
  const cluster = { binDir, dir, record };
  live.add(cluster);
  try {
    if (isRoot) {
      const { uid, gid } = postgresIds();
      chownSync(dir, uid, gid);
    }
    const dataDir = join(dir, 'data');
    asPostgres(join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync'], { quiet: true });
    let chosen = await freePortFrom(port);
    for (let attempt = 0; ; attempt++) {
      const r = tryStart(binDir, dataDir, dir, chosen, join(dir, 'server.log'));
      if (r.ok) break;
      if (!r.portTaken || attempt >= 4) throw new Error(`pg-harness: pg_ctl start failed on port ${chosen}:\n${r.log}`);
      chosen = await freePortFrom(chosen + 1);
    }
    sh(join(binDir, 'createdb'), ['-h', '127.0.0.1', '-p', String(chosen), '-U', 'postgres', database], { quiet: true });
    let stopped;
    return {
      url: `postgres://postgres@127.0.0.1:${chosen}/${database}`,
      port: chosen,
      dataDir,
      stop() {
        stopped ??= Promise.resolve().then(() => release(cluster, 'fast'));
        return stopped;
      },
    };
  } catch (err) {
    release(cluster, 'immediate');
    throw err;
  }
}

function release(cluster, mode) {
  if (!live.delete(cluster)) return;
  stopCluster(cluster.binDir, cluster.dir, mode);
  rmSync(cluster.record, { force: true });
}

// A test process that crashes or forgets stop() must not leave a server running.
process.on('exit', () => {
  for (const cluster of [...live]) release(cluster, 'immediate');
});

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const portArg = process.argv.find((a) => a.startsWith('--port='));
  const pg = await startThrowawayPostgres(portArg ? { port: Number(portArg.slice(7)) } : {});
  console.log(pg.url);
  const shutdown = async () => {
    await pg.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  setInterval(() => {}, 1 << 30); // keep the process alive until a signal
}
