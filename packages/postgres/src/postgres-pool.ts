import { Client, Pool, type PoolClient } from 'pg';
import type { ListenConnection } from './consent-watcher';
import { isConnectionError } from './postgres-errors';
import type { ResolvedPostgresStoreOptions } from './postgres-store.options';

const APPLICATION_NAME = 'privacy-kit';
/** How long an idle pooled connection is kept, in ms. */
const IDLE_TIMEOUT_MS = 30_000;
const ignore = (): void => undefined;

/**
 * The store's connections: the pool (made from the connection string and owned, or borrowed from the app), and
 * the dedicated connection consent watching LISTENs on. Clients whose connection failed are destroyed, never
 * returned to the pool.
 */
export class PostgresConnections {
  readonly pool: Pool;
  /** Whether the store made the pool (and so ends it on close). */
  readonly ownsPool: boolean;
  /** Opens a dedicated connection for LISTEN, never reused after it. */
  readonly listen: () => Promise<ListenConnection>;

  constructor(options: Pick<ResolvedPostgresStoreOptions, 'pool' | 'connectionString' | 'connectionTimeoutMs' | 'max'> & { readonly ssl?: ResolvedPostgresStoreOptions['ssl'] }) {
    if (options.pool !== undefined) {
      const pool = options.pool;
      this.pool = pool;
      this.ownsPool = false;
      this.listen = async () => {
        const client = await pool.connect();
        return { client, end: () => client.release(true) };
      };
      return;
    }
    const config = {
      connectionString: options.connectionString,
      connectionTimeoutMillis: options.connectionTimeoutMs,
      keepAlive: true,
      application_name: APPLICATION_NAME,
      ...(options.ssl === undefined ? {} : { ssl: options.ssl }),
    };
    this.pool = new Pool({ ...config, max: options.max, idleTimeoutMillis: IDLE_TIMEOUT_MS });
    // pg reports idle connections the server closed (e.g. a restart) here; the pool drops them and the
    // next operation opens a new one, so there is nothing to do but not crash.
    this.pool.on('error', ignore);
    this.ownsPool = true;
    this.listen = async () => {
      const client = new Client(config);
      client.on('error', ignore);
      await client.connect();
      return { client, end: () => { client.end().catch(ignore); } };
    };
  }

  /** Runs `fn` with a pooled client; a client whose connection failed is destroyed, not returned. */
  async withClient<T>(fn: (client: PoolClient, broken: () => void) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let destroy: Error | undefined;
    // A checked-out client emits 'error' when its connection dies; without a listener that would crash the app.
    const onError = (err: Error): void => { destroy = destroy ?? err; };
    client.on('error', onError);
    try {
      return await fn(client, () => { destroy = destroy ?? new Error('connection left in an unknown state'); });
    } catch (err) {
      if (isConnectionError(err)) destroy = destroy ?? (err as Error);
      throw err;
    } finally {
      client.removeListener('error', onError);
      client.release(destroy);
    }
  }

  /** Runs `fn` in a transaction opened by `begin` (e.g. 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY'). */
  transaction<T>(begin: string, fn: (client: PoolClient) => Promise<T>): Promise<T> {
    return this.withClient(async (client, broken) => {
      try {
        await client.query(begin);
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(broken);
        throw err;
      }
    });
  }

  /** Ends the pool when the store made it; a borrowed pool stays open. */
  async end(): Promise<void> {
    if (this.ownsPool) await this.pool.end().catch(ignore);
  }
}
