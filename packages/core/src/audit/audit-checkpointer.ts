import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { defineOptionKeys, rejectUnknownOptions } from '../errors/option-keys';
import { PrivacyKitError, isPrivacyKitError } from '../errors/privacy-kit.error';
import { createAuditCheckpoint, serializeAuditCheckpoint } from './audit-chain';
import type { AuditCheckpoint } from './audit-record';

/** Checkpoint after this many new records by default. */
export const DEFAULT_CHECKPOINT_EVERY = 1000;
/** Checkpoint new records at least this often by default, in ms. */
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 60_000;

/**
 * Where and how often a store publishes signed checkpoints of its audit log (the `checkpoints` option of the
 * stores). Publish them where whoever controls the database cannot rewrite them: a file on another volume or
 * host (append-only, e.g. `chattr +a`), a log shipper, a webhook. Give at least one of `file` and `onCheckpoint`.
 */
export interface AuditCheckpointOptions {
  /** An append-only file that gets one JSON line per checkpoint (opened with 'a', fsync'd). Not the database's own path. */
  readonly file?: string;
  /** Checkpoint once this many records were appended since the last one. Default {@link DEFAULT_CHECKPOINT_EVERY}. */
  readonly every?: number;
  /** Checkpoint new records at least this often, in ms (0 turns the timer off). Default {@link DEFAULT_CHECKPOINT_INTERVAL_MS}. */
  readonly intervalMs?: number;
  /** Called with each checkpoint, e.g. to post it to a webhook or write it to another store; may return a promise. */
  readonly onCheckpoint?: (checkpoint: AuditCheckpoint) => void | Promise<void>;
  /**
   * Told when a checkpoint could not be published (the file or the hook failed); it is tried again at the next
   * interval. Default: a process warning (printed on stderr).
   */
  readonly onError?: (error: PrivacyKitError) => void;
}

/** {@link AuditCheckpointOptions} checked, with defaults applied. */
export interface ResolvedAuditCheckpointOptions {
  readonly file: string | undefined;
  readonly every: number;
  readonly intervalMs: number;
  readonly onCheckpoint: ((checkpoint: AuditCheckpoint) => void | Promise<void>) | undefined;
  readonly onError: (error: PrivacyKitError) => void;
}

const CHECKPOINT_OPTION_KEYS = defineOptionKeys<AuditCheckpointOptions>({ file: true, every: true, intervalMs: true, onCheckpoint: true, onError: true });

function defaultOnError(error: PrivacyKitError): void {
  process.emitWarning(error.message, { type: 'PrivacyKitWarning', code: error.code });
}

/**
 * Checks the `checkpoints` option of a store.
 *
 * @param options - the option as given
 * @param pkg - the store package, for messages
 * @param storePaths - files of the store itself (the checkpoint file must be elsewhere)
 */
export function resolveAuditCheckpointOptions(options: AuditCheckpointOptions, pkg: string, storePaths: readonly string[] = []): ResolvedAuditCheckpointOptions {
  const invalid = (message: string): PrivacyKitError => new PrivacyKitError('PK_INVALID_OPTION', `${pkg}: 'checkpoints': ${message}`);
  if (typeof options !== 'object' || options === null) throw invalid('must be an object such as { file: \'/var/log/app/audit-checkpoints.jsonl\' }.');
  rejectUnknownOptions(options, CHECKPOINT_OPTION_KEYS, "'checkpoints'", (code, problem) => new PrivacyKitError(code, `${pkg}: ${problem}`));
  const { file, onCheckpoint, onError } = options;
  if (file !== undefined && (typeof file !== 'string' || file === '')) throw invalid(`'file' must be a path; got ${typeof file === 'string' ? 'an empty string' : typeof file}.`);
  if (onCheckpoint !== undefined && typeof onCheckpoint !== 'function') throw invalid(`'onCheckpoint' must be a function (checkpoint) => void; got ${typeof onCheckpoint}.`);
  if (onError !== undefined && typeof onError !== 'function') throw invalid(`'onError' must be a function (error) => void; got ${typeof onError}.`);
  if (file === undefined && onCheckpoint === undefined) throw invalid("give 'file' (an append-only file on another path) or 'onCheckpoint' (a hook), or both.");
  if (file !== undefined) {
    const target = resolve(file);
    const clash = storePaths.find((p) => target === resolve(p) || target.startsWith(`${resolve(p)}-`));
    if (clash !== undefined) throw invalid(`'file' is the database's own file (${file}); checkpoints are an anchor outside the store: put them on another path, ideally another volume or host.`);
  }
  const count = (value: unknown, name: string, fallback: number, min: number): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) throw invalid(`'${name}' must be a whole number of at least ${min}; got ${typeof value === 'number' ? String(value) : typeof value}.`);
    return value;
  };
  return {
    file,
    every: count(options.every, 'every', DEFAULT_CHECKPOINT_EVERY, 1),
    intervalMs: count(options.intervalMs, 'intervalMs', DEFAULT_CHECKPOINT_INTERVAL_MS, 0),
    onCheckpoint,
    onError: onError ?? defaultOnError,
  };
}

/**
 * Publishes signed checkpoints of a store's audit log, off the request path: the store tells it each head it
 * commits; it signs a checkpoint every `every` records and at least every `intervalMs` while records arrive,
 * appends it to the file (fsync'd) and calls the hook, one checkpoint after the other, in order. A failure is
 * reported through `onError`, never dropped, and retried at the next interval.
 */
export class AuditCheckpointer {
  private latest: { readonly seq: number; readonly mac: string; readonly count: number; readonly time: string } | undefined;
  /** The last position a checkpoint was started for. */
  private claimed = 0;
  /** The last position a checkpoint was published for. */
  private published = 0;
  private queue: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout | undefined;
  private stopped = false;

  /**
   * @param key - the audit key
   * @param options - resolved options (see {@link resolveAuditCheckpointOptions})
   * @param pkg - the store package, for messages
   */
  constructor(private readonly key: Buffer, private readonly options: ResolvedAuditCheckpointOptions, private readonly pkg: string) {
    if (options.intervalMs > 0) {
      this.timer = setInterval(() => {
        if (this.latest !== undefined && this.latest.seq > this.published && this.claimed <= this.published) this.publishLatest();
      }, options.intervalMs);
      this.timer.unref();
    }
  }

  /** Tells the checkpointer a head the store committed (call after the commit, in any order). */
  committed(head: { readonly seq: number; readonly mac: string; readonly count: number; readonly time: string }): void {
    if (this.stopped || (this.latest !== undefined && head.seq <= this.latest.seq)) return;
    this.latest = head;
    if (head.seq - this.claimed >= this.options.every) this.publishLatest();
  }

  /**
   * Signs a checkpoint of `head` and publishes it now, after the ones already under way.
   *
   * @returns the checkpoint, once published; rejects when the file or the hook failed
   */
  publish(head: { readonly seq: number; readonly mac: string; readonly count?: number; readonly time?: string }): Promise<AuditCheckpoint> {
    const checkpoint = createAuditCheckpoint(this.key, head);
    this.claimed = Math.max(this.claimed, checkpoint.seq);
    const done = this.queue.then(() => this.write(checkpoint));
    this.queue = done.then(() => undefined, () => undefined);
    return done.then(() => {
      this.published = Math.max(this.published, checkpoint.seq);
      return checkpoint;
    });
  }

  /** Publishes a checkpoint of the latest head if it has none yet, and waits for every checkpoint under way. */
  async flush(): Promise<void> {
    if (this.latest !== undefined && this.latest.seq > this.claimed) this.publishLatest();
    await this.queue;
  }

  /** Stops the timer after a last {@link flush}. */
  async close(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.flush();
    this.stopped = true;
  }

  private publishLatest(): void {
    const head = this.latest;
    if (head === undefined) return;
    this.publish(head).catch((cause: unknown) => {
      // Unless a newer checkpoint is under way, let the next interval try again.
      if (this.claimed === head.seq) this.claimed = this.published;
      this.options.onError(
        isPrivacyKitError(cause)
          ? cause
          : new PrivacyKitError('PK_AUDIT_CHECKPOINT', `${this.pkg}: publishing the audit checkpoint at position ${head.seq} failed: ${(cause as Error)?.message ?? String(cause)}.`, { cause }),
      );
    });
  }

  private async write(checkpoint: AuditCheckpoint): Promise<void> {
    const { file, onCheckpoint } = this.options;
    if (file !== undefined) {
      try {
        const created = !existsSync(file);
        const handle = await open(file, 'a');
        try {
          await handle.writeFile(serializeAuditCheckpoint(checkpoint));
          await handle.sync();
        } finally {
          await handle.close();
        }
        if (created) await syncDirectory(dirname(resolve(file)));
      } catch (cause) {
        throw new PrivacyKitError(
          'PK_AUDIT_CHECKPOINT',
          `${this.pkg}: cannot append the audit checkpoint at position ${checkpoint.seq} to ${file}: ${(cause as NodeJS.ErrnoException)?.code ?? (cause as Error)?.message ?? 'unknown error'}. Check that its folder exists and is writable.`,
          { cause },
        );
      }
    }
    if (onCheckpoint !== undefined) {
      try {
        await onCheckpoint(checkpoint);
      } catch (cause) {
        throw new PrivacyKitError('PK_AUDIT_CHECKPOINT', `${this.pkg}: the onCheckpoint hook failed for the checkpoint at position ${checkpoint.seq} (its error is the cause of this one).`, { cause });
      }
    }
  }
}

/** Makes a new file's directory entry durable; where directories cannot be opened (Windows) there is nothing to do. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  if (handle === undefined) return;
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}
