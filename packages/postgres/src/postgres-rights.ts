import { randomUUID } from 'node:crypto';
import { isoTime, type PrivacyKitError, type RightsRequest, type RightsRequestFilter, type RightsRequestInput, type RightsRequestPatch } from '@privacy-kit/core';
import { RIGHTS_COLUMNS, dueBefore, rightsRequestFromRow, rightsRequestsQuerySql, type RightsRow } from '@privacy-kit/core/store';
import { postgresError } from './postgres-errors';
import type { PostgresSchemaNames } from './postgres-names';
import type { PostgresConnections } from './postgres-pool';

const SELECT_RIGHTS = RIGHTS_COLUMNS.join(', ');
const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));
const DOLLAR = (n: number): string => `$${n}`;

/** The rights requests of a PostgreSQL store (one statement each, so updates from several instances never interleave). */
export class PostgresRightsRequests {
  private readonly table: string;

  constructor(private readonly connections: PostgresConnections, names: PostgresSchemaNames) {
    this.table = `${names.quoted}.rights_requests`;
  }

  async create(input: RightsRequestInput): Promise<RightsRequest> {
    const now = isoTime();
    const row: RightsRow = {
      id: randomUUID(), kind: input.kind, subject: input.subject, status: 'open', created_at: now, updated_at: now,
      due_at: input.dueAt, steps: [], error: null, details: input.details === undefined ? null : { ...input.details },
    };
    await this.connections.pool.query(
      `INSERT INTO ${this.table} (${SELECT_RIGHTS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10::jsonb)`,
      [row.id, row.kind, row.subject, row.status, row.created_at, row.updated_at, row.due_at, json(row.steps), row.error, json(input.details)],
    );
    return rightsRequestFromRow(row);
  }

  async update(id: string, patch: RightsRequestPatch): Promise<RightsRequest> {
    // One statement: concurrent updates from several instances each apply whole, never interleaved.
    const { rows } = await this.connections.pool.query<RightsRow>(
      `UPDATE ${this.table} SET
         status = coalesce($2, status),
         steps = CASE WHEN $3::boolean THEN $4::jsonb ELSE steps END,
         error = CASE WHEN $5::boolean THEN $6 ELSE error END,
         details = CASE WHEN $7::boolean THEN $8::jsonb ELSE details END,
         updated_at = $9
       WHERE id = $1
       RETURNING ${SELECT_RIGHTS}`,
      [
        id, patch.status ?? null,
        patch.steps !== undefined, json(patch.steps),
        patch.error !== undefined, patch.error ?? null,
        patch.details !== undefined, json(patch.details),
        isoTime(),
      ],
    );
    const row = rows[0];
    if (row === undefined) throw rightsRequestNotFound(id);
    return rightsRequestFromRow(row);
  }

  async get(id: string): Promise<RightsRequest | undefined> {
    const { rows } = await this.connections.pool.query<RightsRow>(`SELECT ${SELECT_RIGHTS} FROM ${this.table} WHERE id = $1`, [id]);
    const row = rows[0];
    return row === undefined ? undefined : rightsRequestFromRow(row);
  }

  async list(filter: RightsRequestFilter): Promise<RightsRequest[]> {
    const tail = rightsRequestsQuerySql(filter, DOLLAR);
    const { rows } = await this.connections.pool.query<RightsRow>(`SELECT ${SELECT_RIGHTS} FROM ${this.table}${tail.sql}`, tail.params);
    return dueBefore(rows.map(rightsRequestFromRow), filter.dueBefore);
  }
}

/** The error of an update of a request the store does not have. */
function rightsRequestNotFound(id: string): PrivacyKitError {
  return postgresError('PK_NOT_FOUND', `rights request '${id}' not found. Check the id (listRightsRequests() lists the stored requests).`);
}
