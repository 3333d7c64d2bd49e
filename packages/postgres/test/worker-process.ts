import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** A message a worker sends by itself (not as an answer). */
export interface WorkerEvent { readonly event: string; readonly [key: string]: unknown }

/**
 * A real Node process running one of the fixtures/ scripts, driven over IPC. Every call has a deadline, and
 * `kill()` ends the process, so nothing outlives the test.
 */
export class WorkerProcess {
  private readonly child: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly events: WorkerEvent[] = [];
  private readonly eventWaiters: Array<() => void> = [];
  private stderr = '';
  private exited: string | undefined;

  constructor(script: string, env: NodeJS.ProcessEnv = {}) {
    this.child = fork(join(__dirname, 'fixtures', script), [], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    this.child.stderr?.on('data', (chunk: Buffer) => { this.stderr += chunk.toString(); });
    this.child.on('message', (message: { id?: number; ok?: boolean; result?: unknown; error?: { message: string; code?: string } } & Partial<WorkerEvent>) => {
      if (message.id !== undefined) {
        const waiter = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.ok === true) waiter?.resolve(message.result);
        else waiter?.reject(Object.assign(new Error(message.error?.message ?? 'worker failed'), { code: message.error?.code }));
      } else if (typeof message.event === 'string') {
        this.events.push(message as WorkerEvent);
        for (const wake of this.eventWaiters.splice(0)) wake();
      }
    });
    this.child.on('exit', (code) => {
      this.exited = `worker ${script} exited (${code}): ${this.stderr.slice(-2000)}`;
      for (const wake of this.eventWaiters.splice(0)) wake();
      for (const waiter of this.pending.values()) waiter.reject(new Error(`worker ${script} exited (${code}): ${this.stderr.slice(-2000)}`));
      this.pending.clear();
    });
  }

  /** Sends a command and resolves with its result; rejects after `timeoutMs`. */
  call<T = Record<string, unknown>>(cmd: string, args: Record<string, unknown> = {}, timeoutMs = 20_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`worker did not answer '${cmd}' within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => { clearTimeout(timer); resolve(v as T); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.child.send({ id, cmd, ...args });
    });
  }

  /** Resolves with the first event (already received or coming) that matches; rejects after `timeoutMs`. */
  async nextEvent(match: (e: WorkerEvent) => boolean, timeoutMs: number): Promise<WorkerEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(match);
      if (found !== undefined) return found;
      if (this.exited !== undefined) throw new Error(this.exited);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching worker event within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.eventWaiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  /** Ends the process (SIGKILL if it does not exit within a second). */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 1000);
    await exited;
    clearTimeout(timer);
  }
}
