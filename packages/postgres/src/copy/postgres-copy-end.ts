import { isPrivacyKitError, type PrivacyKitError } from '@privacy-kit/core';
import type { PoolClient } from 'pg';
import { postgresError, storeUnavailable } from '../postgres-errors';
import type { PostgresConnections } from '../postgres-pool';
import { copyIdentity } from './postgres-copy-catalog';

/** A `PK_COPY` error of the PostgreSQL copy adapters. */
export function copyError(problem: string, cause?: unknown): PrivacyKitError {
  return postgresError('PK_COPY', problem, cause === undefined ? undefined : { cause });
}

/**
 * What a copy source and a copy target share: the schema, the pool, the clients of streamed reads (destroyed by
 * close() when a consumer never finished its read), and running a query with the errors of a closed end or a lost
 * database.
 */
export abstract class PostgresCopyEnd {
  readonly kind = 'postgres' as const;
  protected closed = false;
  /** Clients of reads in progress. */
  protected readonly reading = new Set<PoolClient>();

  /**
   * @param schemaName - the schema it reads or writes
   * @param connections - its own pool
   * @param opener - the function that opens it, for the message after close()
   */
  constructor(
    protected readonly schemaName: string,
    protected readonly connections: PostgresConnections,
    private readonly opener: string,
  ) {}

  /** What identifies the database and the schema, whatever host name or port reached it. */
  identity(): Promise<string> {
    return this.run('identity()', (client) => copyIdentity(client, this.schemaName));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const client of this.reading) client.release(true);
    this.reading.clear();
    await this.connections.end();
  }

  /** Refuses an operation after close(). */
  protected open(operation: string): void {
    if (this.closed) throw copyError(`${operation}: the copy ${this.opener === 'openPostgresCopySource()' ? 'source' : 'target'} was closed. Open a new one with ${this.opener}.`);
  }

  /** A client of its own (a streamed read keeps it until the stream ends). */
  protected async connect(operation: string): Promise<PoolClient> {
    this.open(operation);
    try {
      return await this.connections.pool.connect();
    } catch (err) {
      throw storeUnavailable(operation, err);
    }
  }

  /** Runs queries on a client of the pool; a privacy-kit error passes, any other is the database being unavailable. */
  protected async run<T>(operation: string, fn: (client: PoolClient) => Promise<T>): Promise<T> {
    this.open(operation);
    try {
      return await this.connections.withClient((client) => fn(client));
    } catch (err) {
      throw isPrivacyKitError(err) ? err : storeUnavailable(operation, err);
    }
  }
}

/**
 * Opens a copy end: checks that the database answers (its identity), and ends the pool when it does not.
 *
 * @param end - the source or target, made on its pool
 */
export async function checkedEnd<T extends PostgresCopyEnd>(end: T): Promise<T> {
  try {
    await end.identity();
  } catch (err) {
    await end.close();
    throw err;
  }
  return end;
}
