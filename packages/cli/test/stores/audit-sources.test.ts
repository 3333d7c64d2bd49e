import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveKey } from '@privacy-kit/core';
import { auditKeyFrom, readCheckpointFile, readSqliteAuditHits } from '../../src/stores/audit-sources';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'pk-cli-sources-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const key = deriveKey(randomBytes(32).toString('base64'), 'audit');

describe('where the CLI reads the audit log', () => {
  it('reports a --db file that does not exist as not found', async () => {
    await expect(readSqliteAuditHits(dir, 'missing.db')).rejects.toThrow(
      expect.objectContaining({ code: 'PK_NOT_FOUND', problem: expect.stringMatching(/^no database file missing\.db\./) }),
    );
  });

  it('reports a checkpoint file that does not exist as not found', () => {
    expect(() => readCheckpointFile(dir, 'checkpoints.jsonl', key)).toThrow(
      expect.objectContaining({ code: 'PK_NOT_FOUND', problem: expect.stringMatching(/^no checkpoint file checkpoints\.jsonl\./) }),
    );
  });

  it('reports a checkpoint file that cannot be read as an I/O failure', () => {
    mkdirSync(join(dir, 'checkpoints.jsonl'));
    expect(() => readCheckpointFile(dir, 'checkpoints.jsonl', key)).toThrow(
      expect.objectContaining({ code: 'PK_IO', problem: 'cannot read the checkpoint file checkpoints.jsonl: EISDIR.' }),
    );
  });

  it("names the variable and core's objection to a short secret, without core's prefix", () => {
    expect(() => auditKeyFrom({ PRIVACY_KIT_SECRET: 'short' }, undefined)).toThrow(
      expect.objectContaining({ code: 'PK_AUDIT_KEY', problem: expect.stringMatching(/^PRIVACY_KIT_SECRET: 'secret' must be a secret of at least 32 bytes/) }),
    );
  });
});
