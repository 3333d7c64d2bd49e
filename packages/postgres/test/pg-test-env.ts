import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The URL of the throwaway server that scripts/with-postgres.sh started. */
export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (url === undefined || url === '') {
    throw new Error('DATABASE_URL is not set: run these suites with `npm run test:postgres` (scripts/with-postgres.sh starts a server).');
  }
  return url;
}

/** A schema name no other test uses, so every store starts empty and tests stay isolated. */
export function freshSchema(): string {
  return `pk_test_${randomBytes(6).toString('hex')}`;
}

/** Runs one statement on a connection of its own (not the store's pool). */
export async function sql<T extends Record<string, unknown> = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** Removes a test schema and everything in it. */
export async function dropSchema(schema: string | undefined): Promise<void> {
  if (schema !== undefined) await sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
