import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INVENTORY_SCHEMA } from '@privacy-kit/core';
import { shouldColor } from '../src/output/terminal';
import { FIXTURES, ROOT, runCli, runInProcess } from './support/run-cli';

describe('privacy-kit: help, errors and colour', () => {
  it.each([[[]], [['map']], [['check']], [['coverage']], [['audit']], [['audit', 'verify']], [['schema']]])('prints help for %j with --help (exit 0)', async (command) => {
    const run = await runInProcess([...command, '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: privacy-kit/);
    expect(run.stderr).toBe('');
  });

  it.each([['map'], ['check'], ['coverage'], ['sweep']])('documents --export for a factory and --app-config in the help of %s', async (command) => {
    const help = (await runInProcess([command, '--help'])).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('or the factory that builds it');
    expect(help).toContain('--app-config <file> JSON file passed (parsed) to the factory that --export names');
  });

  it('documents the exit codes in the main help', async () => {
    expect((await runInProcess(['--help'])).stdout).toContain('Exit codes:\n  0  success\n  1  check found problems, coverage below --min, the audit chain is broken, a copy stopped or its scan found personal data, or an incident is overdue\n  2  usage or configuration error\n  3  the app (or mapping) module could not be loaded, or exports no Express app');
  });

  it('prints usage and exits 2 on no command, an unknown option or an unknown format', async () => {
    expect((await runInProcess([])).status).toBe(2);
    const unknown = await runInProcess(['map', `${FIXTURES}/twins-app.ts`, '--bogus']);
    expect(unknown).toMatchObject({ status: 2, stderr: "error: unknown option '--bogus'\n(add --help for usage)\n" });
    const format = await runInProcess(['map', `${FIXTURES}/twins-app.ts`, '--format', 'pdf']);
    expect(format.status).toBe(2);
    expect(format.stderr).toContain("error: option '-f, --format <format>' argument 'pdf' is invalid. Allowed choices are table, json, md, mermaid, html.");
  });

  it('colours only when asked: NO_COLOR wins, FORCE_COLOR forces, a pipe gets none', () => {
    const plain = runCli(['check', `${FIXTURES}/twins-app.ts`]);
    expect(plain.stdout).not.toContain('\u001b[');
    const forced = runCli(['check', `${FIXTURES}/twins-app.ts`], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain('\u001b[32m✔ privacy-kit check passed');
    expect(shouldColor(true, {})).toBe(true);
    expect(shouldColor(true, { NO_COLOR: '1' })).toBe(false);
    expect(shouldColor(true, { NO_COLOR: '' })).toBe(true);
    expect(shouldColor(false, {})).toBe(false);
    expect(shouldColor(true, { TERM: 'dumb' })).toBe(false);
    expect(shouldColor(false, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(false);
  });
});

describe('the inventory JSON Schema as shipped', () => {
  it('is printed by `privacy-kit schema`', async () => {
    const run = await runInProcess(['schema']);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(JSON.stringify(INVENTORY_SCHEMA)));
  });

  it('is the file @privacy-kit/cli exports as inventory.schema.json, in step with the code', () => {
    const file = JSON.parse(readFileSync(join(ROOT, 'packages', 'cli', 'inventory.schema.json'), 'utf8')) as unknown;
    expect(file).toEqual(JSON.parse(JSON.stringify(INVENTORY_SCHEMA)));
  });
});
