import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import winston from 'winston';
import { deriveKey, openLogLine } from '@privacy-kit/core';
import { redactPii, sealLines } from '@privacy-kit/winston';

// Logs at rest: every final line sealed, readable only with the key. A real winston logger writing a real file.

async function logToFile(file: string, key: Buffer, write: (logger: winston.Logger) => void): Promise<void> {
  const logger = winston.createLogger({
    format: winston.format.combine(redactPii(), winston.format.json(), sealLines({ key })),
    transports: [new winston.transports.File({ filename: file })],
  });
  write(logger);
  await new Promise<void>((resolve) => { logger.on('finish', resolve); logger.end(); });
}

describe('sealLines()', () => {
  let dir: string;
  const key = deriveKey(randomBytes(32), 'log-encryption');
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'pk-seal-lines-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes every line sealed: nothing of the record is in the file, and each line opens with the key', async () => {
    const file = join(dir, 'app.log');
    await logToFile(file, key, (logger) => {
      logger.info('order shipped', { orderId: 'order-4711', sku: 'LAMP-3' });
      logger.warn('slow request', { route: '/orders/:id', ms: 812 });
    });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/order-4711|LAMP-3|slow request|\/orders/);
    const lines = text.trim().split('\n');
    expect(lines.every((l) => l.startsWith('pklog1.'))).toBe(true);
    const opened = lines.map((l) => openLogLine(key, l));
    expect(opened.map((o) => (o.ok ? JSON.parse(o.line) as Record<string, unknown> : o))).toEqual([
      expect.objectContaining({ level: 'info', message: 'order shipped', orderId: 'order-4711' }),
      expect.objectContaining({ level: 'warn', message: 'slow request', ms: 812 }),
    ]);
  });

  it('seals after redaction: what opens has no personal data either', async () => {
    const file = join(dir, 'app.log');
    await logToFile(file, key, (logger) => { logger.info('signup', { email: 'person-1@example.test' }); });
    const opened = openLogLine(key, readFileSync(file, 'utf8').trim());
    expect(opened.ok && opened.line).not.toContain('person-1@example.test');
  });

  it('never opens a line under another key, or a changed line, and says why', async () => {
    const file = join(dir, 'app.log');
    await logToFile(file, key, (logger) => { logger.info('hello'); });
    const line = readFileSync(file, 'utf8').trim();
    expect(openLogLine(randomBytes(32), line)).toEqual({ ok: false, problem: expect.stringContaining('another log key') });
    const parts = line.split('.');
    const payload = Buffer.from(parts[2] as string, 'base64url');
    payload[13] = (payload[13] as number) ^ 1;
    expect(openLogLine(key, `${parts[0]}.${parts[1]}.${payload.toString('base64url')}`)).toEqual({ ok: false, problem: expect.stringContaining('changed') });
    expect(openLogLine(key, '{"level":"info","message":"clear"}')).toEqual({ ok: false, problem: expect.stringContaining('not a sealed log line') });
  });

  it('refuses a missing or short key, and a place before the line is made', () => {
    expect(() => sealLines({} as never)).toThrow(/sealLines\(\) needs \{ key \}/);
    expect(() => sealLines({ key: 'short' })).toThrow(/at least 32 bytes/);
    const logger = winston.createLogger({ format: sealLines({ key }), transports: [new winston.transports.Console({ silent: true })] });
    expect(() => logger.info('no line yet')).toThrow(/place it after the formatter/);
  });
});
