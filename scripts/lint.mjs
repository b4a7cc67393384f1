#!/usr/bin/env node
// Lint: the one-way import rule of STYLE.md plus the few source habits a type checker cannot see.
// Layers, lowest first; a file may import its own folder, or a layer of lower rank that it is
// allowed to see. `src/core` touches no DOM, worker globals or SQLite.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const layers = [
  { name: 'src/core', may: [] },
  { name: 'src/sqlite', may: ['src/core'] },
  { name: 'src/rpc', may: ['src/core'] },
  { name: 'src/sync', may: ['src/core', 'src/rpc'] },
  { name: 'src/leader', may: ['src/core', 'src/sqlite', 'src/rpc', 'src/sync'] },
  { name: 'src/session', may: ['src/core', 'src/sqlite', 'src/rpc', 'src/sync', 'src/leader'] },
  { name: 'workers', may: ['src/core', 'src/sqlite', 'src/rpc', 'src/sync', 'src/leader'] },
  { name: 'src', may: ['src/core', 'src/sqlite', 'src/rpc', 'src/sync', 'src/leader', 'src/session'] },
  { name: 'elements', may: ['src', 'src/core', 'src/session'] },
  { name: 'demo', may: ['elements', 'src'] },
  { name: 'server', may: ['src/core'] },
];
const free = ['test', 'bench', 'scripts'];

function layerOf(rel) {
  const parts = rel.split(sep).join('/');
  let best;
  for (const l of layers) {
    if (parts === l.name || parts.startsWith(`${l.name}/`)) {
      if (!best || l.name.length > best.name.length) best = l;
    }
  }
  return best;
}

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|mts|js|mjs)$/.test(name)) out.push(p);
  }
  return out;
}

const problems = [];
const importRe = /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;
const files = ['src', 'workers', 'elements', 'demo', 'server']
  .map((d) => join(root, d))
  .filter((d) => { try { return statSync(d).isDirectory(); } catch { return false; } })
  .flatMap((d) => walk(d));

for (const file of files) {
  const rel = relative(root, file);
  const text = readFileSync(file, 'utf8');
  const isTest = /\.test(-d)?\.ts$/.test(file);
  const from = layerOf(rel);
  if (!from) continue;
  for (const m of text.matchAll(importRe)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec || !spec.startsWith('.')) continue;
    const target = relative(root, resolve(dirname(file), spec));
    const top = target.split(sep)[0];
    if (free.includes(top)) {
      if (!isTest) problems.push(`${rel}: imports ${target}, which only tests may use`);
      continue;
    }
    const to = layerOf(target);
    if (!to || to.name === from.name) continue;
    // tests are consumers: they may use the public entry (src/index.ts) to prove the public API
    if (isTest && to.name === 'src') continue;
    if (!from.may.includes(to.name)) problems.push(`${rel}: ${from.name} must not import ${to.name} (${spec})`);
  }
  if (rel.startsWith(`src${sep}core`) && !isTest) {
    const code = text
      .replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')
      .replace(/'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g, "''");
    if (/\b(?:document|window|customElements|navigator|localStorage|indexedDB)\s*[.[(]|\bHTMLElement\b|\bself\.postMessage\b/.test(code))
      problems.push(`${rel}: src/core must not touch DOM or worker globals`);
    if (/wa-sqlite|better-sqlite3/.test(text)) problems.push(`${rel}: src/core must not use SQLite`);
  }
  if (/\.ts$/.test(file)) {
    const code = text.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
    if (/^\s*(export\s+)?(const\s+)?enum\s/m.test(code)) problems.push(`${rel}: no enums (STYLE 16)`);
    if (/^\s*(export\s+)?(declare\s+)?namespace\s/m.test(code)) problems.push(`${rel}: no namespaces (STYLE 16)`);
    if (/:\s*any\b|<any>|as any\b/.test(code)) problems.push(`${rel}: use unknown, not any (STYLE 16)`);
    if (/^export \* from/m.test(code)) problems.push(`${rel}: list exports explicitly, no export * (STYLE 15)`);
  }
}

if (problems.length) {
  console.error(problems.join('\n'));
  console.error(`lint: ${problems.length} problem(s) in ${files.length} files`);
  process.exit(1);
}
console.log(`lint: ${files.length} files, imports run one way`);
