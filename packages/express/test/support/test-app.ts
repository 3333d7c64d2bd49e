import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import express, { type Express } from 'express';
import jwt from 'jsonwebtoken';
import type { PrivacyStore } from '@privacy-kit/core';
import { createSqliteStore, type SqliteStore } from '@privacy-kit/sqlite';
import { privacy, type PrivacyKit, type PrivacyOptions } from '@privacy-kit/express';

/** Generated per run: never a real secret. */
export const JWT_SECRET = randomBytes(32).toString('base64');
export const ISSUER = 'https://auth.test.invalid';
export const AUDIENCE = 'privacy-kit-tests';
export const JWT_OPTIONS = { secret: JWT_SECRET, algorithms: ['HS256'] as const, issuer: ISSUER, audience: AUDIENCE };

/** A signed test token for a generated subject id. */
export function token(sub: string, extra: Record<string, unknown> = {}, options: jwt.SignOptions = {}): string {
  return jwt.sign({ sub, ...extra }, JWT_SECRET, { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE, expiresIn: '5m', ...options });
}

export function bearer(sub: string, extra: Record<string, unknown> = {}): string {
  return `Bearer ${token(sub, extra)}`;
}

/** A temporary SQLite store that removes itself. */
export interface TempStore {
  readonly store: SqliteStore;
  cleanup(): Promise<void>;
}

export function tempStore(): TempStore {
  const dir = mkdtempSync(join(tmpdir(), 'pk-express-'));
  const store = createSqliteStore({ filename: join(dir, 'privacy.db'), auditKey: randomBytes(32) });
  return {
    store,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An Express module: Express 5 (`express`) or Express 4 (the `express4` alias). */
export type ExpressModule = typeof express;

/** An app with privacy() mounted on the given store and the default JWT options (Express 5 unless another module is given). */
export function appWith(store: PrivacyStore, options: Partial<PrivacyOptions> = {}, expressModule: ExpressModule = express): { app: Express; kit: PrivacyKit } {
  const app = expressModule();
  const kit = privacy({ store, pseudonymKey: randomBytes(32), jwt: JWT_OPTIONS, appId: 'test-app', onError: () => undefined, ...options });
  app.use(kit);
  return { app, kit };
}
