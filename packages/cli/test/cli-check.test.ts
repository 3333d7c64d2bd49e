import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckReport } from '@privacy-kit/core';
import { FIXTURES, runCli } from './support/run-cli';

function check(...args: string[]) {
  return runCli(['check', ...args]);
}

describe('privacy-kit check: each rule', () => {
  it('passes (exit 0) an app whose annotated routes are complete, warning about routes without annotation', () => {
    const run = check(`${FIXTURES}/twins-app.ts`);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(
      '✔ privacy-kit check passed: 5 routes, no problems, 1 warning(s).\n\n' +
        '⚠ unannotated                GET /health\n' +
        '    GET /health: carries no privacy annotation. If it handles personal data, declare it with personalData({ categories, purpose, basis }); if it does not, allow-list it with a reason in privacy-kit.config.json.\n' +
        '  (routes without annotation are errors with --strict)\n',
    );
  });

  it('fails (exit 1) a route that handles personal data with no lawful basis', () => {
    const run = check(`${FIXTURES}/rules-apps.ts`, '--export', 'missingBasis');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^✖ privacy-kit check failed: 1 problem\(s\) in 1 routes\.\n\n✖ missing-basis {14}POST \/orders\n {4}POST \/orders: declares personal data but no lawful basis\. Add basis: 'contract'/);
  });

  it('fails a consent route with no purpose', () => {
    const run = check(`${FIXTURES}/rules-apps.ts`, '--export', 'consentWithoutPurpose');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/✖ consent-without-purpose +GET \/me\/feed\n +GET \/me\/feed: declares no purpose\./);
  });

  it('fails an unknown key, even though the declaration throws while the module loads', () => {
    const run = check(`${FIXTURES}/unknown-key-app.ts`);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/✖ unknown-key +\(app\)\n +cannot load .*unknown-key-app\.ts: a privacy declaration is invalid: personalData\(\): unknown data category 'user\.contact\.emial'\. Did you mean 'user\.contact\.email'\?/);
  });

  it('fails any other declaration the engine would refuse', () => {
    const run = check(`${FIXTURES}/rules-apps.ts`, '--export', 'invalidDeclaration');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/✖ invalid-declaration +GET \/users\/:id\n +GET \/users\/:id: the path names someone/);
  });

  it('fails a route whose observed responses carry personal data it does not declare', () => {
    const run = check(`${FIXTURES}/rules-apps.ts`, '--export', 'undeclared', '--observed', `${FIXTURES}/observed-debug.json`);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('✖ undeclared-personal-data   GET /debug\n    GET /debug: its responses contained user.contact.email (seen in 3 sampled response(s)) but the route carries no annotation.');
    expect(run.stdout).not.toMatch(/✖ .*GET \/me\n/);
  });

  it('fails a route that processes special category data (Art. 9) without its Art. 9(2) condition', () => {
    const run = check(`${FIXTURES}/special-category-apps.ts`, '--export', 'specialWithoutCondition');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/✖ special-category-condition +GET \/me\/health\n +GET \/me\/health: processes user\.health_and_medical, special category data \(Art\. 9\), but names no Art\. 9\(2\) condition\. Add specialCategoryCondition: 'health_care'/);
    expect(check(`${FIXTURES}/special-category-apps.ts`, '--export', 'specialWithCondition').status).toBe(0);
  });

  it('fails a misspelt Art. 9(2) condition under the same rule, though the declaration throws while the module loads', () => {
    const run = check(`${FIXTURES}/special-condition-typo-app.ts`);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/✖ special-category-condition +\(app\)\n +cannot load .*: unknown specialCategoryCondition 'health-care'\. Did you mean 'health_care'\?/);
  });

  it('fails routes without annotation with --strict', () => {
    const run = check(`${FIXTURES}/twins-app.ts`, '--strict');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^✖ privacy-kit check failed: 1 problem\(s\) in 5 routes\.\n\n✖ unannotated +GET \/health\n/);
  });
});

describe('privacy-kit check: mounts the route walk cannot see', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'pk-cli-check-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('passes (exit 0) with a warning naming the mount path of a function that hides routes', () => {
    const run = check(`${FIXTURES}/unseen-mount-app.ts`);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('✔ privacy-kit check passed: 1 routes, no problems, 1 warning(s).');
    expect(run.stdout).toContain('⚠ unseen-mount               USE /feed\n    /feed: a function (feedGate) is mounted here with app.use(path, fn); the route walk cannot see the routes behind it');
    expect(run.stdout).toContain('(unseen mounts are errors with --strict)');
  });

  it('fails (exit 1) on it with --strict', () => {
    const run = check(`${FIXTURES}/unseen-mount-app.ts`, '--strict');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^✖ privacy-kit check failed: 1 problem\(s\) in 1 routes\.\n\n✖ unseen-mount +USE \/feed\n/);
  });

  it('lists it in the JSON report', () => {
    const run = check(`${FIXTURES}/unseen-mount-app.ts`, '--json');
    const report = JSON.parse(run.stdout) as { ok: boolean; warnings: { rule: string; route: string }[] };
    expect(report.ok).toBe(true);
    expect(report.warnings.map((w) => [w.rule, w.route])).toEqual([['unseen-mount', 'USE /feed']]);
  });

  it('excuses it with --strict when the allow-list names its path with a reason', () => {
    const config = join(dir, 'privacy-kit.config.json');
    writeFileSync(config, JSON.stringify({ allow: [{ route: '/feed', reason: 'a feature flag gate in front of the feed router' }] }));
    const run = check(`${FIXTURES}/unseen-mount-app.ts`, '--strict', '--config', config);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('○ unseen-mount               USE /feed allowed: a feature flag gate in front of the feed router');
    expect(run.stdout).not.toContain('matches no finding');
  });
});

describe('privacy-kit check: configuration and output', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'pk-cli-check-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('excuses allow-listed routes with their reason', () => {
    const run = check(`${FIXTURES}/twins-app.ts`, '--strict', '--config', `${FIXTURES}/allow-health.config.json`);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('✔ privacy-kit check passed: 5 routes, no problems.\n\n○ unannotated                GET /health allowed: load-balancer health check; returns no personal data\n');
  });

  it("reads the allow-list from the 'privacy-kit' key of package.json in the module's project", () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'tmp-app', 'privacy-kit': { allow: [{ route: '/health', reason: 'no data' }] } }));
    writeFileSync(join(dir, 'app.ts'), `export { app } from ${JSON.stringify(join(process.cwd(), FIXTURES, 'twins-app'))};\n`);
    const run = check(join(dir, 'app.ts'), '--strict');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('allowed: no data');
  });

  it('prints the report as JSON with --json', () => {
    const run = check(`${FIXTURES}/rules-apps.ts`, '--export', 'undeclared', '--observed', `${FIXTURES}/observed-debug.json`, '--strict', '--json');
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as CheckReport;
    expect(report.ok).toBe(false);
    expect(report.errors.map((e) => [e.rule, e.route])).toEqual([
      ['undeclared-personal-data', 'GET /debug'],
      ['unannotated', 'GET /debug'],
      ['unannotated', 'GET /health'],
    ]);
  });

  it('refuses a config without reasons, naming the entry (exit 2)', () => {
    const config = join(dir, 'privacy-kit.config.json');
    writeFileSync(config, JSON.stringify({ allow: [{ route: 'GET /health' }] }));
    const run = check(`${FIXTURES}/twins-app.ts`, '--config', config);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("allow[0] (GET /health) needs a 'reason' saying why the route may break the rules.");
  });

  it('refuses a missing or malformed observations file (exit 2)', () => {
    const missing = check(`${FIXTURES}/twins-app.ts`, '--observed', join(dir, 'none.json'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no observations file');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ version: 9, routes: {} }));
    const malformed = check(`${FIXTURES}/twins-app.ts`, '--observed', bad);
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toContain('unsupported version 9');
  });
});
