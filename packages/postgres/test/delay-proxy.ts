// The typed door of scripts/delay-proxy.js (plain CommonJS, so that the bench runs it with node as it is).

/** Where {@link startDelayProxy} forwards, and the delay it adds. */
export interface DelayProxyOptions {
  readonly target: { readonly host: string; readonly port: number };
  /** Added to every chunk in each direction, in milliseconds (default 5). */
  readonly delayMs?: number;
}

/** A running proxy: connect to 127.0.0.1:`port`. */
export interface DelayProxy {
  readonly port: number;
  /** Stops listening and ends every open connection at once. */
  close(): Promise<void>;
}

const implementation = require('../../../scripts/delay-proxy.js') as {
  startDelayProxy(options: DelayProxyOptions): Promise<DelayProxy>;
};

/**
 * Starts a loopback TCP proxy on a free port that forwards every connection to `target` and delays every chunk
 * by `delayMs` in each direction, in order.
 *
 * @example
 * const proxy = await startDelayProxy({ target: { host: '127.0.0.1', port: 5432 }, delayMs: 5 });
 * await proxy.close();
 */
export function startDelayProxy(options: DelayProxyOptions): Promise<DelayProxy> {
  return implementation.startDelayProxy(options);
}

/** `url` (a postgres:// connection string) with its host and port replaced by the proxy's. */
export function throughProxy(url: string, proxy: DelayProxy): string {
  const parsed = new URL(url);
  parsed.hostname = '127.0.0.1';
  parsed.port = String(proxy.port);
  return parsed.toString();
}

/** The host and port a postgres:// connection string points at. */
export function targetOf(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port === '' ? 5432 : parsed.port) };
}
