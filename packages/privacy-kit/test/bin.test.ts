import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const PACKAGE = resolve(__dirname, '..');
const LAUNCHER = join(PACKAGE, 'bin', 'privacy-kit.js');

describe('the privacy-kit binary of the umbrella package', () => {
  it('is declared as privacy-kit and points at the committed launcher', () => {
    const manifest = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(manifest.bin).toEqual({ 'privacy-kit': './bin/privacy-kit.js' });
  });

  it("runs @privacy-kit/cli's commands (after npm run build)", () => {
    if (!existsSync(join(PACKAGE, 'dist', 'bin.js'))) throw new Error('packages/privacy-kit/dist is missing: run `npm run build` before this test (npm test does).');
    const result = spawnSync(process.execPath, [LAUNCHER, '--help'], { encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Usage: privacy-kit/);
    expect(result.stdout).toMatch(/\bmap\b[\s\S]*\bcheck\b/);
  });
});
