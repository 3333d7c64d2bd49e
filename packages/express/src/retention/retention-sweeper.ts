import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { isPrivacyKitError, isoTime, retentionCutoff } from '@privacy-kit/core';
import { discoverRoutes } from '../discovery/walk-routes';
import type { Engine } from '../engine/engine.interface';
import { compileDiscovered, isRouteProblem, type CompiledRoute } from '../engine/route-compiler';
import type { DataSourceRegistry } from '../sources/data-source.registry';
import type { ResolvedRetentionOptions } from './retention.options';
import { buildRetentionPolicy, type RetentionPolicy } from './retention-policy';
import { expressError } from '../errors';

/** Where a sweep stands; told after each purge (and once before the first). */
export interface SweepProgress {
  /** Purges finished so far. */
  readonly done: number;
  /** Purges this sweep runs. */
  readonly total: number;
  /** The purge that just finished, if any. */
  readonly source?: string;
  readonly retention?: string;
}

/** Options of one sweep. */
export interface SweepOptions {
  /** The instant periods are counted back from. Default now. */
  readonly now?: Date;
  /** Called as the sweep goes, e.g. to draw a progress bar. Must not throw. */
  readonly onProgress?: (progress: SweepProgress) => void;
}

/** What one purge did. */
export interface SweepResult {
  readonly source: string;
  /** The period, as declared, e.g. '30d'. */
  readonly retention: string;
  /** Data older than this was asked to go (ISO 8601). */
  readonly cutoff: string;
  readonly fields: readonly string[];
  readonly status: 'done' | 'failed';
  /** What `purge()` said it removed; null when it did not say (or failed). */
  readonly removed: number | null;
  readonly error?: string;
  readonly durationMs: number;
}

/** What a sweep did, as also written to the audit (event 'retention', request id = `sweepId`). */
export interface SweepReport {
  readonly sweepId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** No purge failed. */
  readonly ok: boolean;
  readonly results: readonly SweepResult[];
  /** Sources the sweep could not purge, and why (e.g. a period is declared but the source has no purge()). */
  readonly skipped: readonly { readonly source: string; readonly reason: string }[];
}

/**
 * Retention: works out the policy from the options, routes and sources, and sweeps: asks each source to purge what
 * is past its period and writes what was removed to the audit. Optionally on a schedule.
 */
export class RetentionSweeper {
  private app: unknown;
  private timer: NodeJS.Timeout | undefined;
  private scheduled: Promise<unknown> | undefined;

  constructor(
    private readonly engine: Engine,
    private readonly sources: DataSourceRegistry,
    private readonly options: ResolvedRetentionOptions,
  ) {}

  /** Remembers the app whose routes declare periods (set when `privacy()` is mounted). */
  attach(app: unknown): void {
    this.app = app;
  }

  private routes(): CompiledRoute[] {
    if (this.app === undefined) return [];
    return compileDiscovered(discoverRoutes(this.app)).filter((r): r is CompiledRoute => !isRouteProblem(r));
  }

  /**
   * Each category's retention and each source's purge plan.
   *
   * @param now - the instant used to compare periods of different units
   */
  policy(now: Date = new Date()): RetentionPolicy {
    return buildRetentionPolicy({ categories: this.options.categories, routes: this.routes(), sources: this.sources.list(), now });
  }

  /**
   * Asks each source to purge the data past its period: one `purge(olderThan, scope)` per period of the source.
   * Each purge is written to the audit (event 'retention') with what it removed. A failing purge is reported and
   * recorded and the sweep goes on; when the audit cannot be written the sweep stops (nothing is purged unrecorded).
   *
   * @param options - `now` and `onProgress`
   * @example
   * const report = await kit.sweep();
   * report.results.map((r) => `${r.source} ${r.retention}: ${r.removed}`);
   */
  async sweep(options: SweepOptions = {}): Promise<SweepReport> {
    const now = options.now ?? new Date();
    const startedAt = isoTime();
    const sweepId = `sweep-${randomUUID()}`;
    const policy = this.policy(now);
    const skipped: { source: string; reason: string }[] = [];
    const tasks = policy.sources.flatMap((plan) => {
      if (plan.scopes.length === 0) {
        if (plan.purge) skipped.push({ source: plan.source, reason: 'purge() is given but no retention period is declared for its fields, their categories or the source' });
        return [];
      }
      if (!plan.purge) {
        skipped.push({ source: plan.source, reason: `periods are declared (${plan.scopes.map((s) => s.retention.text).join(', ')}) but the source has no purge()` });
        return [];
      }
      return plan.scopes.map((scope) => ({ plan, scope }));
    });
    const progress = (p: SweepProgress): void => {
      try {
        options.onProgress?.(p);
      } catch {
        // A progress display must not stop a sweep.
      }
    };
    progress({ done: 0, total: tasks.length });
    const results: SweepResult[] = [];
    for (const { plan, scope } of tasks) {
      const registered = this.sources.get(plan.source);
      const purge = registered?.source.purge;
      if (purge === undefined) continue;
      const cutoff = retentionCutoff(scope.retention, now);
      const started = performance.now();
      let result: SweepResult;
      try {
        const returned: unknown = await purge(cutoff, scope);
        result = {
          source: plan.source, retention: scope.retention.text, cutoff: isoTime(cutoff), fields: scope.fields, status: 'done',
          removed: typeof returned === 'number' && Number.isInteger(returned) && returned >= 0 ? returned : null,
          durationMs: Math.round(performance.now() - started),
        };
      } catch (error) {
        const text = isPrivacyKitError(error)
          ? error.message
          : `purge() of source '${plan.source}' failed (${error instanceof Error ? error.name : typeof error}); the error was passed to onError.`;
        this.engine.report(isPrivacyKitError(error) ? error : expressError('PK_SOURCE_FAILED', text, { cause: error }), `purge() of source '${plan.source}'`);
        result = {
          source: plan.source, retention: scope.retention.text, cutoff: isoTime(cutoff), fields: scope.fields, status: 'failed',
          removed: null, error: text, durationMs: Math.round(performance.now() - started),
        };
      }
      await this.engine.options.store.appendAudit({
        event: 'retention',
        time: isoTime(),
        requestId: sweepId,
        appId: this.engine.options.appId,
        actor: null,
        subject: null,
        method: null,
        route: null,
        purposes: [],
        basis: null,
        categories: scope.categories,
        decision: 'allowed',
        reason: result.status === 'failed' ? 'purge_failed' : null,
        status: null,
        durationMs: result.durationMs,
        details: { source: plan.source, retention: result.retention, cutoff: result.cutoff, fields: scope.fields.join(','), removed: result.removed, status: result.status },
      });
      results.push(result);
      progress({ done: results.length, total: tasks.length, source: plan.source, retention: scope.retention.text });
    }
    return { sweepId, startedAt, finishedAt: isoTime(), ok: results.every((r) => r.status === 'done'), results, skipped };
  }

  /** Starts the scheduled sweeps of the `schedule` option (no-op without it). The timer does not keep the process alive. */
  start(): void {
    const every = this.options.scheduleMs;
    if (every === undefined || this.timer !== undefined) return;
    this.timer = setInterval(() => {
      if (this.scheduled !== undefined) return;
      this.scheduled = this.sweep()
        .catch((error: unknown) => this.engine.report(error, 'a scheduled retention sweep'))
        .finally(() => { this.scheduled = undefined; });
    }, every);
    this.timer.unref();
  }

  /** Stops scheduled sweeps. */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
