import { redactPii } from '@privacy-kit/winston';
import winston from 'winston';
import { changedNegatives, findLeaks, serialize } from '../../packages/redact/test/corpus/leak-check';
import type { CorpusRecord } from '../../packages/redact/test/corpus/leak-corpus';
import { generateCorpus } from '../../packages/redact/test/corpus/leak-corpus';
import { CaptureTransport } from '../../packages/winston/test/capture.transport';

const MESSAGE = Symbol.for('message');
const SPLAT = Symbol.for('splat');

type Placement = 'after splat()' | 'before splat()';

/** An existing logger setup (errors, splat, timestamp, json) to which a user adds redactPii(). */
function appLogger(placement: Placement = 'after splat()'): { log: winston.Logger; out: CaptureTransport } {
  const out = new CaptureTransport();
  const { combine, errors, splat, timestamp, json } = winston.format;
  const formats = placement === 'after splat()'
    ? [errors({ stack: true }), splat(), timestamp(), redactPii(), json()]
    : [errors({ stack: true }), redactPii(), splat(), timestamp(), json()];
  const log = winston.createLogger({ level: 'debug', defaultMeta: { service: 'shop' }, format: combine(...formats), transports: [out] });
  return { log, out };
}

/** Logs one record the way application code does: as message, %s argument, child metadata, meta or error. */
function logRecord(log: winston.Logger, record: CorpusRecord): void {
  const value = record.value;
  if (typeof value === 'string') {
    switch (record.id % 5) {
      case 0:
        return void log.info(value);
      case 1:
        return void log.info('received %s', value);
      case 2:
        return void log.child({ context: value }).warn('child logger');
      case 3:
        return void log.error(new Error(value));
      default:
        return void log.debug('meta', { detail: value, attempt: 2 });
    }
  }
  switch (record.id % 3) {
    case 0:
      return void log.info('event', value);
    case 1:
      return void log.child(value as object).info('child with metadata');
    default:
      return void log.info('splat object %o', value);
  }
}

/** Everything a transport can read: the formatted line, the info fields and the splat arguments. */
function transportView(info: Record<string | symbol, unknown>): string {
  return [String(info[MESSAGE]), serialize(info), serialize(info[SPLAT] ?? null)].join('\n');
}

describe('redactPii() on an existing winston logger, over the leak corpus', () => {
  const corpus = generateCorpus(31337, 600);

  it.each<Placement>(['after splat()', 'before splat()'])('lets no planted personal value reach the transport, however it was logged (redactPii %s)', (placement) => {
    const { log, out } = appLogger(placement);
    const leaks: string[] = [];
    for (const record of corpus) {
      out.infos.length = 0;
      logRecord(log, record);
      expect(out.infos).toHaveLength(1);
      const view = transportView(out.infos[0]!);
      for (const leak of findLeaks(view, record.planted)) leaks.push(`#${record.id} ${record.shape} (${leak.form}): ${leak.planted.value}`);
    }
    expect(leaks).toEqual([]);
  });

  it('keeps the hard negatives in the formatted line', () => {
    const { log, out } = appLogger();
    const changed: string[] = [];
    for (const record of corpus.filter((r) => r.id % 5 !== 3 && typeof r.value === 'string')) {
      out.infos.length = 0;
      logRecord(log, record);
      const line = JSON.parse(String(out.infos[0]![MESSAGE])) as Record<string, unknown>;
      const texts = Object.values(line).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('\n');
      for (const n of changedNegatives(texts, record.negatives)) changed.push(`#${record.id} ${record.shape}: ${n}`);
    }
    expect(changed).toEqual([]);
  });
});
