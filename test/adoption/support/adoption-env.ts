import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import { findPrivacyKit, type PrivacyKit } from '@privacy-kit/express';

const KEYS = ['PRIVACY_KIT_DB', 'PRIVACY_KIT_SECRET', 'NODE_ENV'] as const;

/** The environment privacy() runs in for one test: its own database file and a generated secret. */
export interface AdoptionEnv {
  readonly dir: string;
  readonly secret: string;
  /** The kit `app.use(privacy())` mounted on the app. */
  kitOf(app: Express): PrivacyKit;
  /** Disposes the kits of the apps, closes their stores, restores the environment and removes the folder. */
  cleanup(...apps: Express[]): Promise<void>;
}

export function adoptionEnv(): AdoptionEnv {
  const dir = mkdtempSync(join(tmpdir(), 'pk-adoption-'));
  const saved = KEYS.map((key) => [key, process.env[key]] as const);
  const secret = randomBytes(32).toString('base64');
  process.env.PRIVACY_KIT_DB = join(dir, 'privacy-kit.db');
  process.env.PRIVACY_KIT_SECRET = secret;
  delete process.env.NODE_ENV;
  const kits = new Set<PrivacyKit>();
  return {
    dir,
    secret,
    kitOf(app) {
      const kit = findPrivacyKit(app);
      if (kit === undefined) throw new Error('no privacy() kit is mounted on this app');
      kits.add(kit);
      return kit;
    },
    async cleanup(...apps) {
      for (const app of apps) this.kitOf(app);
      for (const kit of kits) {
        kit.dispose();
        await kit.store.close();
      }
      for (const [key, value] of saved) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The kit's audit records once there are `count` of them (outcome records follow the response). */
export async function auditOnceThere(kit: PrivacyKit, count: number): ReturnType<PrivacyKit['store']['readAudit']> {
  for (let tries = 0; ; tries++) {
    const records = await kit.store.readAudit();
    if (records.length >= count || tries === 200) return records;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
