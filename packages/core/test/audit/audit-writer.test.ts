import { randomBytes } from 'node:crypto';
import type { AuditEntry, AuditRecord } from '@privacy-kit/core';
import { AuditWriter, chainAuditBatch, type AuditBatchFailure, type AuditWriterOptions } from '@privacy-kit/core/store';
import { sampleAuditEntry } from '@privacy-kit/core/testing';

const key = randomBytes(32);

/** An in-memory log behind a writer: records every commit's batch; entries with requestId 'bad' fail their batch. */
function memoryLog(options: { async?: boolean; onFailure?: AuditWriterOptions['onFailure'] } = {}) {
  const records: AuditRecord[] = [];
  const commits: string[][] = [];
  let failNext: unknown;
  const commitSync = (entries: readonly AuditEntry[]): readonly AuditRecord[] => {
    commits.push(entries.map((e) => e.requestId));
    if (failNext !== undefined) {
      const error = failNext;
      failNext = undefined;
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- stores signal a retry by throwing an AuditBatchFailure, not an Error
      throw error;
    }
    if (entries.some((e) => e.requestId === 'bad')) throw new Error('refused entry');
    const last = records[records.length - 1];
    const batch = chainAuditBatch(key, last === undefined ? undefined : { seq: last.seq, mac: last.mac }, entries);
    records.push(...batch.records);
    return batch.records;
  };
  const writer = new AuditWriter({
    commit: options.async === true ? (entries) => new Promise((resolve) => setTimeout(resolve, 5)).then(() => commitSync(entries)) : commitSync,
    ...(options.onFailure === undefined ? {} : { onFailure: options.onFailure }),
  });
  return { writer, records, commits, failOnce: (error: unknown) => { failNext = error; } };
}

const entry = (requestId: string, overrides: Partial<AuditEntry> = {}): AuditEntry => sampleAuditEntry({ requestId, ...overrides });
const settle = <T>(promises: Promise<T>[]) => Promise.allSettled(promises);
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('AuditWriter group commit', () => {
  it('commits the entries appended in one turn of the event loop together, in order', async () => {
    const log = memoryLog();
    const records = await Promise.all(['a', 'b', 'c'].map((id) => log.writer.append(entry(id))));
    expect(log.commits).toEqual([['a', 'b', 'c']]);
    expect(records.map((r) => [r.seq, r.requestId])).toEqual([[1, 'a'], [2, 'b'], [3, 'c']]);
  });

  it('commits entries appended in later turns in later commits', async () => {
    const log = memoryLog();
    const first = log.writer.append(entry('a'));
    await tick();
    const second = log.writer.append(entry('b'));
    await Promise.all([first, second]);
    expect(log.commits).toEqual([['a'], ['b']]);
  });

  it('queues what is appended while an asynchronous commit is in flight, and commits it next as one batch', async () => {
    const log = memoryLog({ async: true });
    const first = log.writer.append(entry('a'));
    await tick();
    expect(log.writer.busy).toBe(true);
    const later = [log.writer.append(entry('b')), log.writer.append(entry('c'))];
    await Promise.all([first, ...later]);
    expect(log.commits).toEqual([['a'], ['b', 'c']]);
  });

  it('commits at most maxBatch entries at a time', async () => {
    const records: AuditRecord[] = [];
    const sizes: number[] = [];
    const writer = new AuditWriter({
      maxBatch: 2,
      commit: (entries) => {
        sizes.push(entries.length);
        const last = records[records.length - 1];
        const batch = chainAuditBatch(key, last === undefined ? undefined : { seq: last.seq, mac: last.mac }, entries);
        records.push(...batch.records);
        return batch.records;
      },
    });
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => writer.append(entry(id))));
    expect(sizes).toEqual([2, 2, 1]);
  });

  it('lets an outcome wait up to outcomeDelayMs and share the commit of the next access', async () => {
    const commits: string[][] = [];
    const writer = new AuditWriter({
      outcomeDelayMs: 50,
      commit: (entries) => {
        commits.push(entries.map((e) => e.requestId));
        return chainAuditBatch(key, undefined, entries).records;
      },
    });
    const outcome = writer.append(entry('outcome-1', { event: 'outcome' }));
    await tick();
    expect(commits).toEqual([]);
    const access = writer.append(entry('access-2'));
    await Promise.all([outcome, access]);
    expect(commits).toEqual([['outcome-1', 'access-2']]);
  });

  it('commits a lone outcome once outcomeDelayMs has passed', async () => {
    const commits: string[][] = [];
    const writer = new AuditWriter({
      outcomeDelayMs: 5,
      commit: (entries) => {
        commits.push(entries.map((e) => e.requestId));
        return chainAuditBatch(key, undefined, entries).records;
      },
    });
    await writer.append(entry('outcome-1', { event: 'outcome' }));
    expect(commits).toEqual([['outcome-1']]);
  });

  it('commits what is queued at once on flush(), synchronously when commit is', () => {
    const log = memoryLog();
    void log.writer.append(entry('a'));
    log.writer.flush();
    expect(log.records.map((r) => r.requestId)).toEqual(['a']);
  });
});

describe('AuditWriter batch failures', () => {
  it('tries the entries of a failed batch one by one, so only the bad entry rejects', async () => {
    const log = memoryLog();
    const results = await settle(['a', 'b', 'bad', 'c'].map((id) => log.writer.append(entry(id))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(log.records.map((r) => [r.seq, r.requestId])).toEqual([[1, 'a'], [2, 'b'], [3, 'c']]);
    expect(log.commits).toEqual([['a', 'b', 'bad', 'c'], ['a'], ['b'], ['bad'], ['c']]);
  });

  it('does the same for an asynchronous commit', async () => {
    const log = memoryLog({ async: true });
    const results = await settle(['a', 'bad', 'b'].map((id) => log.writer.append(entry(id))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log.records.map((r) => r.requestId)).toEqual(['a', 'b']);
  });

  it('rejects the bad entry with the error of its own commit', async () => {
    const log = memoryLog();
    const [, bad] = await settle([log.writer.append(entry('a')), log.writer.append(entry('bad'))]);
    expect(bad).toEqual({ status: 'rejected', reason: new Error('refused entry') });
  });

  it('fails every entry of the batch at once when onFailure says the failure is the whole store', async () => {
    const gone = new Error('store gone');
    const log = memoryLog({ onFailure: (error) => (error === gone ? { failAll: gone } : undefined) });
    log.failOnce(gone);
    const results = await settle(['a', 'b'].map((id) => log.writer.append(entry(id))));
    expect(results).toEqual([{ status: 'rejected', reason: gone }, { status: 'rejected', reason: gone }]);
    expect(log.commits).toEqual([['a', 'b']]);
  });

  it('tries a batch again later when onFailure asks, taking along the entries appended meanwhile', async () => {
    const busy = Object.assign(new Error('locked'), { code: 'BUSY' });
    const attempts: { tries: number; entries: number }[] = [];
    const log = memoryLog({
      onFailure: (error, attempt): AuditBatchFailure | undefined => {
        attempts.push({ tries: attempt.tries, entries: attempt.entries });
        return error === busy ? { retryAfterMs: 20 } : undefined;
      },
    });
    log.failOnce(busy);
    const first = log.writer.append(entry('a'));
    await tick();
    expect(log.writer.busy).toBe(true);
    const later = log.writer.append(entry('b'));
    await tick();
    const records = await Promise.all([first, later]);
    expect(records.map((r) => [r.seq, r.requestId])).toEqual([[1, 'a'], [2, 'b']]);
    expect(log.commits).toEqual([['a'], ['a', 'b']]);
    expect(attempts).toEqual([{ tries: 1, entries: 1 }]);
  });

  it('tells onFailure how long the batch has waited, so the store can give up', async () => {
    const busy = new Error('locked');
    const waited: number[] = [];
    const writer = new AuditWriter({
      commit: () => { throw busy; },
      onFailure: (_error, attempt) => {
        waited.push(attempt.waitedMs);
        return attempt.waitedMs >= 30 ? { failAll: new Error('gave up') } : { retryAfterMs: 10 };
      },
    });
    await expect(writer.append(entry('a'))).rejects.toThrow('gave up');
    expect(waited[0]).toBe(0);
    expect(waited[waited.length - 1]).toBeGreaterThanOrEqual(30);
    expect(writer.busy).toBe(false);
  });

  it('resolves whenIdle() once a waiting batch is committed', async () => {
    const log = memoryLog({ onFailure: () => ({ retryAfterMs: 10 }) });
    log.failOnce(new Error('locked'));
    const append = log.writer.append(entry('a'));
    await tick();
    expect(log.writer.busy).toBe(true);
    await log.writer.whenIdle();
    expect(log.records.map((r) => r.requestId)).toEqual(['a']);
    await append;
  });
});

describe('AuditWriter close', () => {
  it('commits what is queued, then rejects later appends with the given error', async () => {
    const log = memoryLog();
    const queued = log.writer.append(entry('a'));
    log.writer.close(() => new Error('closed'));
    expect((await queued).requestId).toBe('a');
    await expect(log.writer.append(entry('b'))).rejects.toThrow('closed');
  });

  it('rejects a batch that waits to be tried again', async () => {
    const log = memoryLog({ onFailure: () => ({ retryAfterMs: 1000 }) });
    log.failOnce(new Error('locked'));
    const append = log.writer.append(entry('a'));
    await tick();
    log.writer.close(() => new Error('closed'));
    await expect(append).rejects.toThrow('closed');
    expect(log.writer.busy).toBe(false);
  });
});

describe('AuditWriter options', () => {
  it('needs a commit function', () => {
    expect(() => new AuditWriter({} as never)).toThrow(expect.objectContaining({ code: 'PK_INVALID_OPTION', message: expect.stringContaining('needs { commit') }));
  });

  it('refuses a negative outcome delay and a batch size below one', () => {
    const commit = () => [];
    expect(() => new AuditWriter({ commit, outcomeDelayMs: -1 })).toThrow(/'outcomeDelayMs' must be a whole number of ms ≥ 0; got -1/);
    expect(() => new AuditWriter({ commit, maxBatch: 0 })).toThrow(/'maxBatch' must be a whole number ≥ 1; got 0/);
  });
});
