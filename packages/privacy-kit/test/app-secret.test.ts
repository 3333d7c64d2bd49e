import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { PrivacyKitError } from '@privacy-kit/core';
import { SECRET_FILE_NAME, appSecret } from '../src/secret/app-secret';

describe('the app secret of privacy() when none is configured', () => {
  let dir: string;
  let told: PrivacyKitError[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pk-secret-'));
    told = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const outsideProduction = (env: NodeJS.ProcessEnv = {}) => appSecret({ env, dbFile: join(dir, 'app.db'), tell: (e) => told.push(e) });

  it('takes PRIVACY_KIT_SECRET when it is set, and creates no file', () => {
    const secret = randomBytes(32).toString('base64');
    expect(outsideProduction({ PRIVACY_KIT_SECRET: secret })).toBe(secret);
    expect(told).toEqual([]);
    expect(() => statSync(join(dir, SECRET_FILE_NAME))).toThrow();
  });

  it('creates a 32-byte secret next to the database, readable only by the owner (mode 0600)', () => {
    const secret = outsideProduction();
    const file = join(dir, SECRET_FILE_NAME);
    expect(readFileSync(file, 'utf8').trim()).toBe(secret);
    expect(Buffer.from(secret, 'base64')).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('says where it put the secret, once, and never the secret itself', () => {
    const secret = outsideProduction();
    outsideProduction();
    expect(told).toHaveLength(1);
    expect(told[0]?.message).toContain(join(dir, SECRET_FILE_NAME));
    expect(told[0]?.message).toMatch(/set PRIVACY_KIT_SECRET/);
    expect(told[0]?.message).not.toContain(secret);
  });

  it('reuses the file on the next start', () => {
    expect(outsideProduction()).toBe(outsideProduction());
  });

  it('refuses a secret file other users can read, saying how to fix it', () => {
    const file = join(dir, SECRET_FILE_NAME);
    writeFileSync(file, randomBytes(32).toString('base64'));
    chmodSync(file, 0o644);
    expect(() => outsideProduction()).toThrow(expect.objectContaining({ code: 'PK_SECRET_MISSING', message: expect.stringContaining(`chmod 600 ${file}`) }));
  });

  it('refuses a secret file that holds less than 32 bytes', () => {
    const file = join(dir, SECRET_FILE_NAME);
    writeFileSync(file, 'short', { mode: 0o600 });
    expect(() => outsideProduction()).toThrow(expect.objectContaining({ code: 'PK_SECRET_MISSING', message: expect.stringMatching(/holds less than 32 bytes/) }));
  });

  it('in production neither reads nor creates a file', () => {
    writeFileSync(join(dir, SECRET_FILE_NAME), randomBytes(32).toString('base64'), { mode: 0o600 });
    expect(() => outsideProduction({ NODE_ENV: 'production' })).toThrow(expect.objectContaining({ code: 'PK_SECRET_MISSING' }));
  });
});
