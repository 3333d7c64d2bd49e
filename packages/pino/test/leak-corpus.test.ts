import { redactPii } from '@privacy-kit/pino';
import pino from 'pino';
import { changedNegatives, findLeaks } from '../../redact/test/corpus/leak-check';
import type { CorpusRecord } from '../../redact/test/corpus/leak-corpus';
import { generateCorpus, generateLogLines } from '../../redact/test/corpus/leak-corpus';
import { CaptureStream } from './capture.stream';

/** An existing pino setup (base bindings, timestamps, serializers) to which a user adds redactPii(). */
function appLogger(): { log: pino.Logger; out: CaptureStream } {
  const out = new CaptureStream();
  const log = pino(redactPii({}, { level: 'debug', base: { service: 'shop' }, serializers: { detail: (d: unknown) => d } }), out);
  return { log, out };
}

/** Logs one record the way application code does: as message, %s argument, child binding, merged object or error. */
function logRecord(log: pino.Logger, record: CorpusRecord): void {
  const value = record.value;
  if (typeof value === 'string') {
    switch (record.id % 6) {
      case 0:
        return log.info(value);
      case 1:
        return log.info('received %s', value);
      case 2:
        return log.child({ context: value }).warn('child logger');
      case 3:
        return log.error(new Error(value));
      case 4:
        return log.debug({ detail: value, attempt: 2 }, 'meta');
      default:
        return log.info({ note: value }, 'merged');
    }
  }
  switch (record.id % 4) {
    case 0:
      return log.info(value as object, 'event');
    case 1:
      return log.child(value as pino.Bindings).info('child with metadata');
    case 2:
      return log.info('object %o', value as object);
    default:
      return log.info({ record: value, nested: { again: value } }, 'nested');
  }
}

describe('redactPii() on a real pino logger, over the leak corpus', () => {
  it.each([
    ['the leak corpus', generateCorpus(31337, 600)],
    ['application log lines', generateLogLines(4242, 400)],
  ])('lets no planted personal value reach the destination, however it was logged (%s)', (_name, corpus) => {
    const { log, out } = appLogger();
    const leaks: string[] = [];
    for (const record of corpus) {
      out.lines.length = 0;
      logRecord(log, record);
      expect(out.lines).toHaveLength(1);
      for (const leak of findLeaks(out.lines[0]!, record.planted)) leaks.push(`#${record.id} ${record.shape} (${leak.form}): ${leak.planted.value}`);
    }
    expect(leaks).toEqual([]);
  });

  it.each([
    ['the leak corpus', generateCorpus(31337, 600)],
    ['application log lines', generateLogLines(4242, 400)],
  ])('keeps the hard negatives in the written line (%s)', (_name, corpus) => {
    const { log, out } = appLogger();
    const changed: string[] = [];
    for (const record of corpus.filter((r) => r.id % 6 !== 3 && typeof r.value === 'string')) {
      out.lines.length = 0;
      logRecord(log, record);
      const line = JSON.parse(out.lines[0]!) as Record<string, unknown>;
      const texts = Object.values(line).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('\n');
      for (const n of changedNegatives(texts, record.negatives)) changed.push(`#${record.id} ${record.shape}: ${n}`);
    }
    expect(changed).toEqual([]);
  });
});
