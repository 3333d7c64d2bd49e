import type { Client, Notification } from 'pg';
import { postgresError } from './postgres-errors';

/** A connection the watcher holds for LISTEN, and how to give it back. */
export interface ListenConnection {
  readonly client: Pick<Client, 'query' | 'on' | 'removeListener'>;
  /** Closes the connection (or destroys the pooled client): it is never reused after a LISTEN. */
  end(): void;
}

/** What the watcher needs from the store. */
export interface ConsentWatcherOptions {
  /** The NOTIFY channel of the store's schema. */
  readonly channel: string;
  /** This store instance; its own notifications are delivered locally already and skipped. */
  readonly origin: string;
  /** The quoted schema name. */
  readonly schema: string;
  /** Resolves when the schema is migrated, with the transaction horizon taken then (see {@link ConsentWatcher}). */
  readonly ready: () => Promise<string>;
  /** Opens a dedicated connection. */
  readonly connect: () => Promise<ListenConnection>;
}

interface ActiveConnection {
  released: boolean;
  release(): void;
}

const ignore = (): void => undefined;
const FIRST_RETRY_MS = 50;
const MAX_RETRY_MS = 1000;

/**
 * Delivers consent changes of every instance to local listeners: LISTEN on the schema's channel, plus the
 * store's own writes delivered directly.
 *
 * A lost LISTEN connection (a database restart, a terminated backend) reconnects with backoff. Notifications
 * sent while it was away are lost by PostgreSQL, so on every (re)connect the watcher replays the subjects of
 * every consent event written by a transaction at or above the horizon of its previous connection
 * (`txid_snapshot_xmin` taken right after LISTEN; the first horizon is taken when the store migrated). Any
 * transaction that commits after a snapshot is either in progress in it (id >= xmin) or starts later, so
 * nothing committed while the watcher was deaf is missed; a few subjects may be delivered twice, which only
 * costs a cache miss.
 */
export class ConsentWatcher {
  private readonly listeners = new Set<(subject: string) => void>();
  private active: ActiveConnection | undefined;
  private opening = false;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  private horizon: string | undefined;
  private stopped = false;
  private waiters: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];

  constructor(private readonly options: ConsentWatcherOptions) {}

  /** Adds a listener and starts listening if it is the first; returns the unsubscribe function. */
  add(listener: (subject: string) => void): () => void {
    this.listeners.add(listener);
    this.ensureOpen();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.disconnect();
    };
  }

  /** Delivers a change made through this store instance. */
  emit(subject: string): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(subject);
      } catch {
        // A failing listener must not break the write that triggered it nor the other listeners.
      }
    }
  }

  /** Resolves when changes from other instances are being received (at once when nobody listens). */
  whenListening(): Promise<void> {
    if (this.stopped) return Promise.reject(postgresError('PK_STORE_CLOSED', 'consentWatchReady(): the store was closed.'));
    if (this.active !== undefined || this.listeners.size === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Stops for good (the store was closed). */
  stop(): void {
    this.stopped = true;
    this.listeners.clear();
    this.disconnect();
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(postgresError('PK_STORE_CLOSED', 'consentWatchReady(): the store was closed.'));
  }

  private ensureOpen(): void {
    if (this.stopped || this.active !== undefined || this.opening || this.retryTimer !== undefined) return;
    this.opening = true;
    this.open().then(
      () => { this.opening = false; },
      () => {
        this.opening = false;
        this.scheduleRetry();
      },
    );
  }

  private scheduleRetry(): void {
    if (this.stopped || this.listeners.size === 0 || this.retryTimer !== undefined) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.ensureOpen();
    }, delay);
    this.retryTimer.unref();
  }

  private async open(): Promise<void> {
    const baseline = await this.options.ready();
    if (this.horizon === undefined) this.horizon = baseline;
    const conn = await this.options.connect();
    const active = this.attach(conn);
    try {
      await conn.client.query(`LISTEN "${this.options.channel}"`);
      const snapshot = await conn.client.query<{ xmin: string }>('SELECT txid_snapshot_xmin(txid_current_snapshot())::text AS xmin');
      const changed = await conn.client.query<{ subject: string }>(
        `SELECT DISTINCT subject FROM ${this.options.schema}.consent_events WHERE tx >= $1::bigint`,
        [this.horizon],
      );
      if (active.released) throw new Error('Connection terminated while starting to listen');
      this.horizon = snapshot.rows[0]?.xmin ?? this.horizon;
      if (this.stopped || this.listeners.size === 0) {
        active.release();
        return;
      }
      this.active = active;
      this.retryMs = FIRST_RETRY_MS;
      for (const row of changed.rows) this.emit(row.subject);
    } catch (err) {
      active.release();
      throw err;
    }
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.resolve();
  }

  /** Wires a fresh connection to the watcher; `release()` undoes it once and closes the connection. */
  private attach(conn: ListenConnection): ActiveConnection {
    const { client } = conn;
    const onNotification = (msg: Notification): void => this.onNotification(msg);
    const active: ActiveConnection = {
      released: false,
      release: () => {
        if (active.released) return;
        active.released = true;
        client.removeListener('notification', onNotification);
        client.removeListener('end', onLost);
        client.removeListener('error', onLost);
        // Errors after we let go (the socket closing) must not crash the process.
        client.on('error', ignore);
        conn.end();
      },
    };
    const onLost = (): void => {
      active.release();
      if (this.active === active) {
        this.active = undefined;
        this.scheduleRetry();
      }
    };
    client.on('notification', onNotification);
    client.on('error', onLost);
    client.on('end', onLost);
    return active;
  }

  private onNotification(msg: Notification): void {
    if (msg.channel !== this.options.channel || msg.payload === undefined) return;
    let payload: { o?: unknown; s?: unknown };
    try {
      payload = JSON.parse(msg.payload) as { o?: unknown; s?: unknown };
    } catch {
      return;
    }
    if (payload.o === this.options.origin || typeof payload.s !== 'string') return;
    this.emit(payload.s);
  }

  private disconnect(): void {
    if (this.retryTimer !== undefined) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
    const active = this.active;
    this.active = undefined;
    active?.release();
  }
}
