import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  readAuditCheckpoints,
  type AuditCheckpoint,
  type AuditCheckpointOptions,
  type AuditHeadV2,
  type PrivacyKitError,
} from '@privacy-kit/core';
import { AuditCheckpointer, chainAuditBatch, resolveAuditCheckpointOptions } from '@privacy-kit/core/store';
import { sampleAuditEntry } from '@privacy-kit/core/testing';

const PKG = '@privacy-kit/test';
const key = randomBytes(32);

/** Heads as a store commits them, one record a commit. */
function heads(n: number): AuditHeadV2[] {
  const out: AuditHeadV2[] = [];
  let previous: AuditHeadV2 | undefined;
  for (let i = 0; i < n; i++) {
    previous = chainAuditBatch(key, previous, [sampleAuditEntry({ requestId: `r-${i}` })]).head;
    out.push(previous);
  }
  return out;
}

describe('AuditCheckpointer', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'pk-checkpoints-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function checkpointer(options: AuditCheckpointOptions): AuditCheckpointer {
    return new AuditCheckpointer(key, resolveAuditCheckpointOptions(options, PKG), PKG);
  }

  it('appends a signed line to the file every `every` records, and one for the rest on close', async () => {
    const file = join(dir, 'checkpoints.jsonl');
    const cp = checkpointer({ file, every: 3, intervalMs: 0 });
    for (const head of heads(7)) cp.committed(head);
    await cp.close();
    const read = readAuditCheckpoints(readFileSync(file, 'utf8'), key);
    expect(read.problems).toEqual([]);
    expect(readFileSync(file, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as AuditCheckpoint).seq)).toEqual([3, 6, 7]);
    expect(read.newest?.seq).toBe(7);
  });

  it('calls the hook with each checkpoint', async () => {
    const seen: AuditCheckpoint[] = [];
    const cp = checkpointer({ onCheckpoint: (c) => { seen.push(c); }, every: 2, intervalMs: 0 });
    for (const head of heads(4)) cp.committed(head);
    await cp.flush();
    expect(seen.map((c) => c.seq)).toEqual([2, 4]);
    await cp.close();
  });

  it('checkpoints new records after the interval even below `every`', async () => {
    const seen: number[] = [];
    const cp = checkpointer({ onCheckpoint: (c) => { seen.push(c.seq); }, every: 1000, intervalMs: 20 });
    for (const head of heads(2)) cp.committed(head);
    await new Promise((r) => setTimeout(r, 80));
    expect(seen).toEqual([2]);
    await cp.close();
  });

  it('reports a file it cannot write through onError, and tries again later', async () => {
    const errors: PrivacyKitError[] = [];
    const cp = checkpointer({ file: join(dir, 'missing-folder', 'checkpoints.jsonl'), every: 1, intervalMs: 0, onError: (e) => errors.push(e) });
    cp.committed(heads(1)[0] as AuditHeadV2);
    await cp.flush();
    expect(errors).toEqual([expect.objectContaining({ code: 'PK_AUDIT_CHECKPOINT', message: expect.stringMatching(/^@privacy-kit\/test: cannot append the audit checkpoint at position 1 to .*checkpoints\.jsonl: ENOENT/) })]);
    await cp.close();
    expect(errors.length).toBeGreaterThan(1);
  });

  it('reports a failing hook through onError without echoing its message', async () => {
    const errors: PrivacyKitError[] = [];
    const cp = checkpointer({ onCheckpoint: () => Promise.reject(new Error('secret-token-in-url')), every: 1, intervalMs: 0, onError: (e) => errors.push(e) });
    cp.committed(heads(1)[0] as AuditHeadV2);
    await cp.flush();
    expect(errors[0]?.message).toMatch(/onCheckpoint hook failed for the checkpoint at position 1/);
    expect(errors[0]?.message).not.toContain('secret-token');
    await cp.close();
  });
});

describe('resolveAuditCheckpointOptions', () => {
  it('needs a file or a hook', () => {
    expect(() => resolveAuditCheckpointOptions({}, PKG)).toThrow(/give 'file' .* or 'onCheckpoint'/);
  });

  it('refuses the database file itself as the checkpoint file', () => {
    expect(() => resolveAuditCheckpointOptions({ file: '/data/app.db-wal' }, PKG, ['/data/app.db'])).toThrow(/the database's own file/);
  });

  it('names an unknown option', () => {
    expect(() => resolveAuditCheckpointOptions({ path: 'x' } as never, PKG)).toThrow(/unknown option 'path'/);
  });

  it('applies the defaults', () => {
    expect(resolveAuditCheckpointOptions({ file: 'cp.jsonl' }, PKG)).toEqual(expect.objectContaining({ every: 1000, intervalMs: 60_000 }));
  });
});
