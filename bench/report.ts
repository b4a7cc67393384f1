/**
 * The benchmark's outputs besides the JSON: a Markdown table (median and p95 per store, the ratio
 * ls-elements / LiveStore, and the issue's target per scenario) and an SVG bar chart of the
 * ratios on a log scale, drawn here by hand (no chart library). Ratio < 1: ls-elements is faster
 * or smaller; the chart labels each bar with the factor either way.
 */
import type { Summary } from './stats.ts';

export interface Scenario {
  readonly id: string;
  readonly title: string;
  readonly unit: 'ms' | 'bytes' | 'ops/s';
  readonly ls: Summary | null;
  readonly livestore: Summary | null;
  readonly ratio: number | null;
  readonly samples: Record<string, readonly number[]>;
  readonly extra: Record<string, unknown>;
}

interface ResultLike {
  readonly runId: string;
  readonly quick: boolean;
  readonly date: string;
  readonly machine: { readonly cpus: number; readonly cpuModel: string; readonly node: string };
  readonly load: readonly { readonly at: string; readonly loadavg: readonly number[] }[];
  readonly scenarios: readonly Scenario[];
}

/** The issue's targets, as the largest ratio ls/LiveStore that meets them. */
const targets: Record<string, { readonly max: number; readonly text: string }> = {
  '1': { max: 0.1, text: '≥10× faster' },
  '2': { max: 0.1, text: '≥10× faster' },
  '3': { max: 0.1, text: '≥10× faster' },
  '4': { max: 0.1, text: '≥10× faster' },
  '5a': { max: 1, text: 'no slower' },
  '5b': { max: 1, text: 'no slower' },
  '6': { max: 0.1, text: '≥10× faster' },
  '7': { max: 0.1, text: '≥10× faster' },
  '7b': { max: 0.1, text: '≥10× faster' },
  '7c': { max: 0.1, text: '≥10× faster' },
  '8': { max: 0.1, text: '≤1/10 heap' },
  '9a': { max: 0.25, text: '≤1/4 of JS' },
  '9b': { max: 0.25, text: '≤1/4 of JS' },
};

const fmt = (v: number | undefined, unit: Scenario['unit']): string => {
  if (v === undefined) return 'n/a';
  if (unit === 'ops/s') return `${v.toFixed(0)}/s`;
  if (unit === 'bytes') return v >= 1024 * 1024 ? `${(v / 1024 / 1024).toFixed(2)} MB` : `${(v / 1024).toFixed(1)} kB`;
  return v >= 100 ? `${v.toFixed(0)} ms` : v >= 1 ? `${v.toFixed(2)} ms` : `${(v * 1000).toFixed(0)} µs`;
};

export const factor = (r: number, unit: Scenario['unit']): string => {
  const [better, worse] = unit === 'bytes' ? ['smaller', 'larger'] : ['faster', 'slower'];
  if (unit === 'ops/s') return r >= 1 ? `${r.toFixed(1)}× more` : `${(1 / r).toFixed(1)}× fewer`;
  return r <= 1 ? `${(1 / r).toFixed(1)}× ${better}` : `${r.toFixed(1)}× ${worse}`;
};

export function renderMarkdown(result: ResultLike, svgHref: string): string {
  const m = result.machine;
  const lines = [
    `# ls-elements vs LiveStore 0.4.0 — benchmark ${result.quick ? '(quick run)' : '(full run)'}`,
    '',
    `Run ${result.runId}, ${result.date}; ${m.cpus} × ${m.cpuModel}; node ${m.node}; headless Chromium (/usr/bin/chromium),`,
    'persistent profile (real OPFS), both stores served by one Vite dev server (LiveStore pre-bundled by Vite, devtools off).',
    'Medians and p95 over the rounds in the `n` column; ratio = ls-elements median / LiveStore median (below 1: ls-elements is faster).',
    '',
    '| # | scenario | n | ls-elements median | p95 | LiveStore median | p95 | ratio ls/LS | | target | met |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of result.scenarios) {
    const t = targets[s.id];
    const met = s.ratio === null || t === undefined ? '' : s.ratio <= t.max ? 'yes' : '**no**';
    lines.push(`| ${s.id} | ${s.title} | ${s.ls?.n ?? 0}/${s.livestore?.n ?? 0} | ${fmt(s.ls?.median, s.unit)} | ${fmt(s.ls?.p95, s.unit)} | ${fmt(s.livestore?.median, s.unit)} | ${fmt(s.livestore?.p95, s.unit)} | ${s.ratio === null ? 'n/a' : s.ratio.toFixed(3)} | ${s.ratio === null ? '' : factor(s.ratio, s.unit)} | ${t?.text ?? ''} | ${met} |`);
  }
  lines.push('', `![ratios](${svgHref})`, '', '## Machine load (os.loadavg: 1, 5, 15 min)', '');
  for (const l of result.load) lines.push(`- ${l.at}: ${l.loadavg.join(', ')}`);
  const loop = result.scenarios.find((s) => s.id === '4')?.extra['loop'] as Record<string, { count: number; loopMs: number; durableMs: number | null }> | undefined;
  if (loop !== undefined) {
    lines.push('', '## Scenario 4 detail', '');
    for (const [name, l] of Object.entries(loop)) {
      lines.push(`- ${name}: ${l.count} commits, loop ${l.loopMs.toFixed(0)} ms, durable after ${l.durableMs === null ? 'n/a (no public way to await durability)' : `${l.durableMs.toFixed(0)} ms`}`);
    }
  }
  const big = result.scenarios.find((s) => s.id === '7b')?.extra['reached'] as Record<string, { events: number; ms: number }> | undefined;
  if (big !== undefined) {
    lines.push('', '## Scenario 7b detail (seeding, bounded in time)', '');
    for (const [name, r] of Object.entries(big)) lines.push(`- ${name}: ${r.events.toLocaleString('en')} events committed and durable in ${(r.ms / 1000).toFixed(1)} s`);
  }
  lines.push('', '## Notes', '',
    '- 8, 8b, 8c, 8d: one sample each, after 10,000 rows; 8 is performance.memory after a GC, 8b-8c come from performance.measureUserAgentSpecificMemory (cross-origin isolated page; Chromium counts the JS heaps there, not the wasm Memory: 8d is larger than 8b), 8d from the wasm Memory of the tab\'s SQLite (LiveStore does not expose it: n/a). The ≤1/10 target applies to 8.',
    '- 10a-10d: ls-elements only. LiveStore 0.4.0 syncs through @livestore/sync-cf (Cloudflare\'s workerd) or @livestore/sync-electric (an Electric server); neither is set up on this machine, so there is no LiveStore number. 10b-10d are the load script\'s runner (server/load/load-run.ts) on the embedded SQLite server in this process, one store.',
    '');
  return lines.join('\n');
}

export function renderSvg(scenarios: readonly Scenario[]): string {
  const rows = scenarios.filter((s) => s.ratio !== null && s.ratio > 0);
  const width = 760, rowH = 30, top = 40, left = 300, plot = 400;
  const height = top + rows.length * rowH + 40;
  const maxLog = 2; // the axis spans 1/100× … 100×
  const x = (r: number): number => left + plot / 2 + (Math.max(-maxLog, Math.min(maxLog, Math.log10(r))) / maxLog) * (plot / 2);
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">ls-elements / LiveStore 0.4.0 (median ratio, log scale; left of 1: ls-elements faster or smaller)</text>`,
  ];
  for (const tick of [0.01, 0.1, 1, 10, 100]) {
    out.push(`<line x1="${x(tick)}" y1="${top - 5}" x2="${x(tick)}" y2="${height - 30}" stroke="${tick === 1 ? '#000' : '#ddd'}"/>`);
    out.push(`<text x="${x(tick)}" y="${height - 15}" text-anchor="middle">${tick}</text>`);
  }
  rows.forEach((s, i) => {
    const y = top + i * rowH;
    const r = s.ratio!;
    const x0 = Math.min(x(1), x(r)), x1 = Math.max(x(1), x(r));
    out.push(`<text x="${left - 8}" y="${y + 18}" text-anchor="end">${esc(`${s.id}. ${s.title.slice(0, 42)}`)}</text>`);
    out.push(`<rect x="${x0}" y="${y + 6}" width="${Math.max(1, x1 - x0)}" height="${rowH - 12}" fill="${r <= 1 ? '#2a8' : '#d54'}"/>`);
    out.push(`<text x="${r <= 1 ? x0 - 4 : x1 + 4}" y="${y + 18}" text-anchor="${r <= 1 ? 'end' : 'start'}">${esc(factor(r, s.unit))}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
