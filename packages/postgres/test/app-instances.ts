import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { databaseUrl } from './pg-test-env';
import { WorkerProcess } from './worker-process';

/** The secrets every instance of one app shares. */
export interface AppSecrets {
  readonly schema: string;
  readonly auditKey: Buffer;
  readonly pseudonymKey: Buffer;
  readonly jwtSecret: string;
}

export function appSecrets(schema: string): AppSecrets {
  return { schema, auditKey: randomBytes(32), pseudonymKey: randomBytes(32), jwtSecret: randomBytes(32).toString('hex') };
}

/** A running app instance (fixtures/app-instance.js) in its own process, on a loopback port. */
export interface AppInstance {
  readonly process: WorkerProcess;
  readonly url: string;
}

/** Starts one app instance and waits until it listens. */
export async function startAppInstance(secrets: AppSecrets, appId: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<AppInstance> {
  const worker = new WorkerProcess('app-instance.js', {
    DATABASE_URL: databaseUrl(),
    PK_SCHEMA: secrets.schema,
    PK_AUDIT_KEY: secrets.auditKey.toString('hex'),
    PK_PSEUDONYM_KEY: secrets.pseudonymKey.toString('hex'),
    PK_JWT_SECRET: secrets.jwtSecret,
    PK_APP_ID: appId,
    ...extraEnv,
  });
  const listening = await worker.nextEvent((e) => e.event === 'listening', 20_000);
  return { process: worker, url: `http://127.0.0.1:${listening.port as number}` };
}

/** A bearer token for a user of the app. */
export function tokenFor(secrets: AppSecrets, userId: string): string {
  return jwt.sign({ sub: userId }, secrets.jwtSecret, { algorithm: 'HS256', expiresIn: '10m', issuer: 'privacy-kit-tests', audience: 'app-instances' });
}

/** One request to an instance; resolves with status, the request id header and the time it took. */
export async function request(base: string, path: string, token: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; requestId: string | null; body: unknown }> {
  const response = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: keep the text.
  }
  return { status: response.status, requestId: response.headers.get('x-request-id'), body };
}

const consentBody = (granted: boolean) => ({ method: 'PUT', body: { granted, policyVersion: 'v1' } });

/**
 * Grants a consent through `a`, has `b` answer from it (then from its cache), withdraws it through `a`, and polls
 * `b` until it refuses; `rounds` times. Resolves with how long after `a` answered the withdrawal `b` first refused,
 * per round, and `b`'s last answer of each round.
 */
export async function withdrawalLatencies(a: AppInstance, b: AppInstance, token: string, rounds = 5): Promise<{ latencies: number[]; answers: Awaited<ReturnType<typeof request>>[] }> {
  const latencies: number[] = [];
  const answers: Awaited<ReturnType<typeof request>>[] = [];
  for (let round = 0; round < rounds; round++) {
    expect((await request(a.url, '/privacy/me/consents/personalize.content', token, consentBody(true))).status).toBe(200);
    // B answers from the store, then from its cache (the TTL is 60 s, so only a notification can end it).
    expect((await request(b.url, '/me/recommendations', token)).status).toBe(200);
    expect((await request(b.url, '/me/recommendations', token)).status).toBe(200);

    // The withdrawal is done when A has answered; from then on B must refuse within 100 ms.
    expect((await request(a.url, '/privacy/me/consents/personalize.content', token, consentBody(false))).status).toBe(200);
    const withdrawnAt = Date.now();
    let answer = await request(b.url, '/me/recommendations', token);
    for (let polls = 0; answer.status === 200 && polls < 200; polls++) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      answer = await request(b.url, '/me/recommendations', token);
    }
    latencies.push(Date.now() - withdrawnAt);
    answers.push(answer);
  }
  return { latencies, answers };
}
