import { execFileSync } from 'node:child_process';

/**
 * What a process has loaded is only visible outside jest (its module registry is its own), so each case runs a
 * short script in a fresh node process against the built packages and prints which heavy modules are in
 * require.cache.
 */
function loadedAfter(script: string): string[] {
  const probe = `
    const { randomBytes } = require('node:crypto');
    const { privacy, personalData, requiresConsent } = require('@privacy-kit/express');
    const { createSqliteStore } = require('@privacy-kit/sqlite');
    (async () => {
      ${script}
      const heavy = Object.keys(require.cache).map((f) => /node_modules\\/(class-validator|validator|libphonenumber-js)\\/|packages\\/(redact)\\//.exec(f)).filter(Boolean).map((m) => m[1] || m[2]);
      process.stdout.write(JSON.stringify([...new Set(heavy)].sort()));
    })().catch((e) => { console.error(e); process.exit(1); });`;
  return JSON.parse(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' })) as string[];
}

const KIT = `const kit = privacy({ store: createSqliteStore({ filename: ':memory:', auditKey: randomBytes(32) }), pseudonymKey: randomBytes(32), identify: () => ({ id: 'user-1', roles: [] }), appId: 'probe' });`;

describe('modules loaded on first use', () => {
  it('privacy() does not load class-validator (with validator.js and libphonenumber-js) nor the redaction engine until a feature needs them', () => {
    expect(loadedAfter(KIT)).toEqual([]);
  });

  it('loads class-validator the first time a consent body is checked, and the body is still validated', () => {
    const loaded = loadedAfter(`${KIT}
      const express = require('express');
      const app = express();
      app.use(kit);
      app.get('/offers', personalData({ categories: ['user.behavior.purchase_history'], purpose: 'personalize.content' }), requiresConsent('personalize.content'), (_req, res) => res.json([]));
      const server = app.listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      const res = await fetch('http://127.0.0.1:' + server.address().port + '/privacy/me/consents/personalize.content', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"granted": "yes"}' });
      server.close();
      const body = await res.json();
      if (res.status !== 400 || body.problems[0].property !== 'granted') throw new Error('unexpected answer ' + res.status + ' ' + JSON.stringify(body));`);
    expect(loaded).toEqual(expect.arrayContaining(['class-validator']));
  });
});
