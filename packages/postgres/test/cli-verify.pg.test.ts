import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveKey } from '@privacy-kit/core';
import { sampleAuditEntry } from '@privacy-kit/core/testing';
import { createPostgresStore, type PostgresStore } from '@privacy-kit/postgres';
import { runCli } from '../../cli/test/support/run-cli';
import { databaseUrl, dropSchema, freshSchema, sql } from './pg-test-env';

// `privacy-kit audit verify --database-url` over a log kept as one chain per writer, as an operator runs it.

const SECRET = 'cli-verify-test-secret-0123456789abcdef';

describe('privacy-kit audit verify --database-url (chains per writer)', () => {
  let schema: string;
  let dir: string;
  const open: PostgresStore[] = [];
  beforeEach(() => {
    schema = freshSchema();
    dir = mkdtempSync(join(tmpdir(), 'pk-pg-cli-'));
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    await dropSchema(schema);
    rmSync(dir, { recursive: true, force: true });
  });

  /** Two app instances (two stores) appending in turn: two chains. */
  async function twoWriters(checkpointFile?: string): Promise<PostgresStore[]> {
    const options = { connectionString: databaseUrl(), auditKey: deriveKey(SECRET, 'audit'), schema, auditChains: 1, ...(checkpointFile === undefined ? {} : { checkpoints: { file: checkpointFile, intervalMs: 0 } }) };
    const stores = [createPostgresStore(options), createPostgresStore(options)];
    open.push(...stores);
    for (let i = 0; i < 4; i++) await (stores[i % 2] as PostgresStore).appendAudit(sampleAuditEntry({ requestId: `r-${i}` }));
    return stores;
  }
  const verify = (...extra: string[]) => runCli(['audit', 'verify', '--database-url', databaseUrl(), '--schema', schema, ...extra], { env: { PRIVACY_KIT_SECRET: SECRET } });

  it('verifies every chain of the log and exits 0', async () => {
    await twoWriters();
    const run = verify('--json');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(expect.objectContaining({ ok: true, checked: 4, chains: 2 }));
  });

  it('names the chain and the position of a changed record and exits 1', async () => {
    await twoWriters();
    const [row] = await sql<{ chain: string }>(`SELECT chain FROM "${schema}".audit_log WHERE request_id = 'r-3'`);
    await sql(`DROP TRIGGER audit_log_append_only ON "${schema}".audit_log`);
    await sql(`UPDATE "${schema}".audit_log SET route = '/elsewhere' WHERE request_id = 'r-3'`);
    const run = verify();
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`Audit chain '${row?.chain ?? ''}' broken at position 2`);
  });

  it('finds a chain removed with the stored checkpoints, given the published checkpoint file', async () => {
    const file = join(dir, 'checkpoints.jsonl');
    const [a] = await twoWriters(file);
    await a?.checkpoint();
    const [row] = await sql<{ chain: string }>(`SELECT chain FROM "${schema}".audit_log WHERE request_id = 'r-1'`);
    await sql(`DROP TRIGGER audit_log_append_only ON "${schema}".audit_log; DROP TRIGGER audit_checkpoints_append_only ON "${schema}".audit_checkpoints`);
    await sql(`DELETE FROM "${schema}".audit_log WHERE chain = $1`, [row?.chain]);
    await sql(`DELETE FROM "${schema}".audit_chains WHERE chain = $1`, [row?.chain]);
    await sql(`DELETE FROM "${schema}".audit_checkpoints`);
    expect(verify().status).toBe(0);
    const anchored = verify('--checkpoint', file);
    expect(anchored.status).toBe(1);
    expect(anchored.stdout).toMatch(/checkpoint/);
  });
});
