'use strict';
// A loopback TCP proxy that adds a fixed delay to every chunk in each direction: a stand-in for the network
// between app instances and a database server in another room (issue 15). Dependency-free CommonJS, used by
// bench/postgres-scale.js and, through packages/postgres/test/delay-proxy.ts, by the jest suites.
//
//   const { startDelayProxy } = require('./delay-proxy');
//   const proxy = await startDelayProxy({ target: { host: '127.0.0.1', port: 5432 }, delayMs: 5 });
//   // connect to 127.0.0.1:proxy.port instead of the target ... then
//   await proxy.close();
//
// As a program (the bench runs it in a process of its own, so the load generator's event loop cannot stretch the
// delay):  node scripts/delay-proxy.js <target-host> <target-port> [delayMs]
// prints {"port":N} on stdout (and sends it over IPC when forked), and stops on SIGTERM/SIGINT or disconnect.
const net = require('node:net');
const { performance } = require('node:perf_hooks');

const DEFAULT_DELAY_MS = 5;

/**
 * Forwards what `from` sends to `to`, each chunk `delayMs` after it arrived, in arrival order (one queue with due
 * times, one timer for its head, so chunks are never reordered). `from`'s end is forwarded after its data.
 */
function forwardDelayed(from, to, delayMs) {
  const queue = [];
  let timer;
  function flush() {
    timer = undefined;
    const now = performance.now();
    while (queue.length > 0 && queue[0].due <= now) {
      const { chunk } = queue.shift();
      if (to.destroyed) return;
      if (chunk === null) {
        to.end();
      } else if (!to.write(chunk) && !from.isPaused()) {
        // Backpressure: stop reading until the slow side has taken what it was given.
        from.pause();
        to.once('drain', () => from.resume());
      }
    }
    // Timers may fire up to a millisecond early by the monotonic clock: wait for the rest instead of sending early.
    if (queue.length > 0) timer = setTimeout(flush, Math.max(1, Math.ceil(queue[0].due - now)));
  }
  function push(chunk) {
    queue.push({ due: performance.now() + delayMs, chunk });
    if (timer === undefined) timer = setTimeout(flush, Math.max(1, Math.ceil(delayMs)));
  }
  from.on('data', push);
  from.on('end', () => push(null));
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    queue.length = 0;
  };
}

/**
 * Starts the proxy on 127.0.0.1, on a free port.
 *
 * @param {{ target: { host: string, port: number }, delayMs?: number }} options - where to forward, and the delay
 *   added to every chunk in each direction (default 5 ms)
 * @returns {Promise<{ port: number, close: () => Promise<void> }>} the port it listens on, and close(), which
 *   stops listening and ends every open connection at once
 * @example
 * const proxy = await startDelayProxy({ target: { host: '127.0.0.1', port: 5432 }, delayMs: 5 });
 */
function startDelayProxy({ target, delayMs = DEFAULT_DELAY_MS }) {
  if (target === null || typeof target !== 'object' || typeof target.host !== 'string' || !Number.isInteger(target.port) || target.port <= 0 || target.port > 65535) {
    return Promise.reject(new TypeError("delay-proxy: 'target' must be { host: string, port: integer 1-65535 }, e.g. { host: '127.0.0.1', port: 5432 }."));
  }
  if (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0) {
    return Promise.reject(new TypeError(`delay-proxy: 'delayMs' must be a finite number >= 0 (milliseconds each way); got ${String(delayMs)}.`));
  }
  const pairs = new Set();
  const server = net.createServer({ noDelay: true }, (client) => {
    const upstream = net.connect({ host: target.host, port: target.port, noDelay: true });
    const stops = [forwardDelayed(client, upstream, delayMs), forwardDelayed(upstream, client, delayMs)];
    let lastTimer;
    // Either side closing or failing ends the pair: a half-open pair would leave a client waiting forever.
    const endPair = () => {
      if (!pairs.delete(endPair)) return;
      if (lastTimer !== undefined) clearTimeout(lastTimer);
      for (const stop of stops) stop();
      client.destroy();
      upstream.destroy();
    };
    pairs.add(endPair);
    // A closed side has already handed its data to the queue; let the queue deliver it before ending the pair.
    const endPairAfterDelay = () => {
      if (lastTimer === undefined) lastTimer = setTimeout(endPair, Math.ceil(delayMs) + 1);
    };
    client.on('error', endPair);
    upstream.on('error', endPair);
    client.on('close', endPairAfterDelay);
    upstream.on('close', endPairAfterDelay);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve({
        port: server.address().port,
        close: () => new Promise((done) => {
          server.close(() => done());
          for (const endPair of [...pairs]) endPair();
        }),
      });
    });
  });
}

module.exports = { startDelayProxy, DEFAULT_DELAY_MS };

if (require.main === module) {
  const [host, port, delay] = process.argv.slice(2);
  startDelayProxy({ target: { host: host || '127.0.0.1', port: Number(port) }, delayMs: delay === undefined ? DEFAULT_DELAY_MS : Number(delay) })
    .then((proxy) => {
      const stop = () => proxy.close().then(() => process.exit(0));
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
      process.on('disconnect', stop);
      process.stdout.write(`${JSON.stringify({ port: proxy.port })}\n`);
      if (process.send) process.send({ port: proxy.port });
    })
    .catch((error) => {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    });
}
