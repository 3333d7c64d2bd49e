import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { JWT, app, kit } from './fixtures/record-config/app';

const ROOT = resolve(__dirname, '..');
const CLI = join(ROOT, 'packages', 'cli', 'dist', 'bin.js');
const FIXTURE = join(__dirname, 'fixtures', 'record-config');

/** The parts of the record that come from the configuration: title, controller, security measures. */
function configured(md: string): string[] {
  const section = (from: string, to: string) => md.slice(md.indexOf(from), md.indexOf(to)).trim();
  return [md.split('\n')[0] as string, section('## 1. Controller', '## 2. '), section('## 7. ', '## Routes')];
}

/** The record the CLI writes and the one the app serves read the same configuration (the 'privacy-kit' key of package.json). */
describe('the CLI and the live /privacy/admin/inventory.md read the same configuration', () => {
  const startedIn = process.cwd();
  afterAll(async () => {
    process.chdir(startedIn);
    kit.dispose();
    await kit.store.close();
  });

  it('states the same name, controller and security measures', async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first.`);
    const cli = spawnSync(process.execPath, [CLI, 'map', join('test', 'fixtures', 'record-config', 'app.ts'), '--format', 'md', '--export', 'app'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(cli.status).toBe(0);

    // The server runs from its project folder, as `npm start` would.
    process.chdir(FIXTURE);
    const admin = jwt.sign({ sub: 'dpo-1', roles: ['privacy-admin'] }, JWT.secret, { algorithm: 'HS256', issuer: JWT.issuer, audience: JWT.audience, expiresIn: '5m' });
    const live = await request(app).get('/privacy/admin/inventory.md').set('Authorization', `Bearer ${admin}`);
    expect(live.status).toBe(200);

    expect(configured(live.text)).toEqual(configured(cli.stdout));
    expect(configured(live.text)[0]).toBe('# Record of processing activities: Clinic appointments');
    expect(live.text).toContain('| Name | Clinic Ltd |');
    expect(live.text).toContain('- Encrypted backups.');
  });
});
