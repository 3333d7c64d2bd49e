import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../examples/shop/src/config';

// The example as `npm start` runs it (built by `npm test` before the tests).
const SERVER = resolve(__dirname, '../examples/shop/dist/server.js');

/** Starts the shop on a free port and returns its first log line that says where it listens, then stops it. */
function listeningLine(env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(process.execPath, [SERVER], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((done, fail) => {
    let out = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); fail(new Error(`the shop did not start within 15 s:\n${out}`)); }, 15_000);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.includes('shop listening on'));
      if (line === undefined) return;
      clearTimeout(timer);
      child.once('exit', () => done(line));
      child.kill('SIGTERM');
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', fail);
  });
}

describe('examples/shop: where it listens', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pk-shop-host-'));
    env = { PATH: process.env.PATH, NODE_ENV: 'test', PORT: '0', PRIVACY_KIT_DB: join(dir, 'shop.db'), JWT_SECRET: randomBytes(32).toString('hex'), PRIVACY_KIT_SECRET: randomBytes(32).toString('hex') };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads HOST, with localhost as the default', () => {
    expect(loadConfig({}).host).toBe('localhost');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({}).defaulted).toContain('HOST');
  });

  it('listens on the loopback interface only by default', async () => {
    const line = await listeningLine(env);
    expect(line).toMatch(/shop listening on http:\/\/localhost:\d+ \(bound to (127\.0\.0\.1|::1) only; set HOST to listen elsewhere;/);
  });

  it('listens where HOST says', async () => {
    const line = await listeningLine({ ...env, HOST: '127.0.0.1' });
    expect(line).toMatch(/shop listening on http:\/\/127\.0\.0\.1:\d+ \(bound to 127\.0\.0\.1 only; set HOST to listen elsewhere;/);
  });
});
