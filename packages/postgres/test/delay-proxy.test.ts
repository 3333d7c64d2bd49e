import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { startDelayProxy, type DelayProxy } from './delay-proxy';

// The loopback proxy the PostgreSQL scale bench and the consent-through-latency test put in front of the server.

describe('delay proxy', () => {
  let target: net.Server;
  let targetPort: number;
  const targetSockets = new Set<net.Socket>();
  let onTargetData: (socket: net.Socket, chunk: Buffer) => void;
  let proxy: DelayProxy | undefined;
  const clients: net.Socket[] = [];

  beforeEach(async () => {
    onTargetData = (socket, chunk) => { socket.write(chunk); };
    target = net.createServer((socket) => {
      targetSockets.add(socket);
      socket.on('close', () => targetSockets.delete(socket));
      socket.on('data', (chunk: Buffer) => onTargetData(socket, chunk));
      socket.on('error', () => undefined);
    });
    target.listen(0, '127.0.0.1');
    await once(target, 'listening');
    targetPort = (target.address() as net.AddressInfo).port;
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await proxy?.close();
    proxy = undefined;
    for (const socket of targetSockets) socket.destroy();
    await new Promise((resolve) => target.close(resolve));
  });

  async function connect(port: number): Promise<net.Socket> {
    const client = net.connect({ host: '127.0.0.1', port });
    client.on('error', () => undefined);
    clients.push(client);
    await once(client, 'connect');
    return client;
  }

  function collect(socket: net.Socket, bytes: number): Promise<Buffer> {
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let length = 0;
      const onData = (chunk: Buffer): void => {
        chunks.push(chunk);
        length += chunk.length;
        if (length >= bytes) {
          socket.off('data', onData);
          resolve(Buffer.concat(chunks));
        }
      };
      socket.on('data', onData);
    });
  }

  it('delivers every byte in both directions intact and in the order it was sent', async () => {
    proxy = await startDelayProxy({ target: { host: '127.0.0.1', port: targetPort }, delayMs: 2 });
    const client = await connect(proxy.port);
    // Many writes of uneven sizes, some while earlier ones are still waiting out their delay.
    const pieces = Array.from({ length: 200 }, (_, i) => randomBytes(1 + ((i * 7919) % 3000)));
    const sent = Buffer.concat(pieces);
    const echoed = collect(client, sent.length);
    for (const [i, piece] of pieces.entries()) {
      client.write(piece);
      if (i % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect((await echoed).equals(sent)).toBe(true);
  });

  it('delays what the client sends and what the target answers by at least delayMs each', async () => {
    const delayMs = 30;
    proxy = await startDelayProxy({ target: { host: '127.0.0.1', port: targetPort }, delayMs });
    let arrivedAtTarget = 0;
    onTargetData = (socket, chunk) => {
      arrivedAtTarget = performance.now();
      socket.write(chunk);
    };
    const client = await connect(proxy.port);
    const answered = collect(client, 4);
    const sentAt = performance.now();
    client.write('ping');
    await answered;
    const answeredAt = performance.now();
    expect(arrivedAtTarget - sentAt).toBeGreaterThanOrEqual(delayMs);
    expect(answeredAt - arrivedAtTarget).toBeGreaterThanOrEqual(delayMs);
  });

  it('ends the client connection and the one to the target when close() is called, and accepts no new one', async () => {
    proxy = await startDelayProxy({ target: { host: '127.0.0.1', port: targetPort }, delayMs: 5 });
    const client = await connect(proxy.port);
    const echoed = collect(client, 2);
    client.write('hi');
    await echoed;
    expect(targetSockets.size).toBe(1);
    const [targetSide] = [...targetSockets];
    const clientClosed = once(client, 'close');
    const targetClosed = once(targetSide!, 'close');
    await proxy.close();
    await Promise.all([clientClosed, targetClosed]);
    const refused = net.connect({ host: '127.0.0.1', port: proxy.port });
    const [error] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNREFUSED');
  });

  it('ends the client connection when the target closes its side', async () => {
    proxy = await startDelayProxy({ target: { host: '127.0.0.1', port: targetPort }, delayMs: 5 });
    const client = await connect(proxy.port);
    const echoed = collect(client, 2);
    client.write('hi');
    await echoed;
    const clientClosed = once(client, 'close');
    for (const socket of targetSockets) socket.destroy();
    await clientClosed;
    expect(client.destroyed).toBe(true);
  });

  it('refuses a target without a port, naming the option and its expected shape', async () => {
    await expect(startDelayProxy({ target: { host: '127.0.0.1' } as unknown as { host: string; port: number } }))
      .rejects.toThrow("delay-proxy: 'target' must be { host: string, port: integer 1-65535 }");
  });
});
