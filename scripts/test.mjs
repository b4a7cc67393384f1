#!/usr/bin/env node
// `npm test`: typecheck, lint, then every test runner, and one closing line `N passed, N failed`
// summing them all. Typecheck, lint and `npm run build` count as one test each. Runners:
//   - @web/test-runner: src/, elements/, workers/ `*.test.ts` in Debian's Chromium;
//   - node's test runner (through tsx): server/, test/node/ and test/e2e/ `*.test.ts`.
// `npm test -- --only=wtr|node|static` runs one part (for development).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ensureChromium } from './ensure-chromium.mjs';

const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
const totals = { passed: 0, failed: 0 };
const parts = [];
const tmp = mkdtempSync(join(tmpdir(), 'ls-test-'));

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

function record(name, passed, failed) {
  totals.passed += passed;
  totals.failed += failed;
  parts.push(`${name}: ${passed} passed, ${failed} failed`);
}

function findTests(dirs) {
  const out = [];
  const walk = (d) => {
    if (!existsSync(d)) return;
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (n === 'node_modules') continue;
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith('.test.ts')) out.push(p);
    }
  };
  dirs.forEach(walk);
  return out.sort();
}

if (!only || only === 'static') {
  console.log('\n== typecheck');
  const tc = run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
  record('typecheck', tc === 0 ? 1 : 0, tc === 0 ? 0 : 1);
  console.log('\n== lint');
  const li = run('node', ['scripts/lint.mjs']);
  record('lint', li === 0 ? 1 : 0, li === 0 ? 0 : 1);
}

if (!only || only === 'wtr') {
  console.log('\n== browser tests (@web/test-runner, Chromium)');
  ensureChromium();
  const countFile = join(tmp, 'wtr.json');
  const code = run('npx', ['wtr'], { LS_COUNT_FILE: countFile });
  if (existsSync(countFile)) {
    const c = JSON.parse(readFileSync(countFile, 'utf8'));
    // A runner that exits non-zero without a failed test (crash, timeout) still counts as a failure.
    record('browser', c.passed, c.failed + (code !== 0 && c.failed === 0 ? 1 : 0));
  } else record('browser', 0, 1);
}

if (!only || only === 'node') {
  const files = findTests(['server', 'test/node', 'test/e2e']);
  console.log(`\n== node tests (${files.length} files)`);
  if (files.length > 0) {
    ensureChromium();
    // The no-build page test serves dist/ as it ships: build it first (a failed build is a failure).
    console.log('\n== npm run build (dist/ for the no-build page test)');
    const built = run('npm', ['run', 'build']);
    record('build', built === 0 ? 1 : 0, built === 0 ? 0 : 1);
    const tap = join(tmp, 'node.tap');
    // A test that hangs fails after 5 minutes instead of holding CI until its limit.
    const code = run('node', ['--import', 'tsx', '--test', '--test-timeout=300000', '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files]);
    const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
    const pass = Number(/^# pass (\d+)/m.exec(text)?.[1] ?? 0);
    const fail = Number(/^# fail (\d+)/m.exec(text)?.[1] ?? 0) + Number(/^# cancelled (\d+)/m.exec(text)?.[1] ?? 0);
    record('node', pass, fail + (code !== 0 && fail === 0 ? 1 : 0));
  }
}

console.log(`\n${parts.join('\n')}`);
console.log(`Total: ${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed > 0 ? 1 : 0);
