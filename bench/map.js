'use strict';
// npm run bench:map: times `privacy-kit map` (the built CLI, a fresh process each time, handler source locations
// included) on an app with BENCH_ROUTES routes (default 2,000), in every format. Budget: under 2 s per run.
const { spawnSync } = require('node:child_process');
const { mkdtempSync, rmSync, statSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const ROUTES = Number(process.env.BENCH_ROUTES || 2000);
const BUDGET_MS = 2000;
const RUNS = Number(process.env.BENCH_RUNS || 3);
const cli = join(__dirname, '..', 'packages', 'cli', 'dist', 'bin.js');
const out = mkdtempSync(join(tmpdir(), 'pk-bench-map-'));

function once(format) {
  const file = join(out, `inventory.${format === 'mermaid' ? 'mmd' : format}`);
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [cli, 'map', join(__dirname, 'map-app.js'), '--format', format, '--out', file], {
    env: { ...process.env, BENCH_ROUTES: String(ROUTES), NO_COLOR: '1' },
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`privacy-kit map failed (${result.status}): ${result.stderr || result.stdout}`);
  return { ms, bytes: statSync(file).size };
}

function main() {
  console.log(`privacy-kit map: ${ROUTES} routes, best of ${RUNS} runs per format (whole process: start, load, walk, locate handlers, build, render, write)`);
  let worst = 0;
  for (const format of ['json', 'md', 'mermaid', 'html']) {
    const runs = Array.from({ length: RUNS }, () => once(format));
    const best = Math.min(...runs.map((r) => r.ms));
    worst = Math.max(worst, best);
    console.log(`${format.padEnd(8)} ${best.toFixed(0).padStart(6)} ms   ${(runs[0].bytes / 1024).toFixed(0).padStart(6)} KiB`);
  }
  console.log(`slowest format ${worst.toFixed(0)} ms (budget < ${BUDGET_MS} ms): ${worst < BUDGET_MS ? 'ok' : 'OVER BUDGET'}`);
  if (worst >= BUDGET_MS) process.exitCode = 1;
}

try {
  main();
} finally {
  rmSync(out, { recursive: true, force: true });
}
