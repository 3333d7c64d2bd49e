import { isoTime, type Alert, type AuditEntry, type AuditRecord, type Monitor, type PrivacyKitError } from '@privacy-kit/core';
import { expressError } from '../errors';
import type { ResolvedMonitoringOptions } from './monitoring.options';

/** Records waiting for the monitor at most; beyond it records are counted as missed and reported once per burst. */
export const MAX_PENDING_RECORDS = 10_000;
/** Webhook deliveries in flight at most; beyond it alerts are not posted (still audited, logged and called back). */
export const MAX_PENDING_POSTS = 100;
const BACKOFF_MS = [200, 1_000, 5_000];

/** How an alert is written to the audit log: an 'alert' record, by nobody, about the actor (a pseudonym) and route. */
export function alertEntry(alert: Alert, appId: string): AuditEntry {
  const space = alert.route?.indexOf(' ') ?? -1;
  return {
    event: 'alert', time: isoTime(), requestId: alert.id, appId, actor: alert.actor, subject: null,
    method: alert.route === null || space < 0 ? null : alert.route.slice(0, space),
    route: alert.route === null ? null : space < 0 ? alert.route : alert.route.slice(space + 1),
    purposes: [], basis: null, categories: [...alert.categories], decision: 'allowed', reason: alert.rule, status: null, durationMs: null,
    details: { alertId: alert.id, rule: alert.rule, count: alert.count, threshold: alert.threshold, from: alert.window.from, to: alert.window.to, explanation: alert.explanation },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * Runs the monitoring rules over the audit records the app appends, off the request path: a record is queued when
 * its append resolved and the rules see it on the next turn of the event loop, in batches. Every alert is appended
 * to the audit log (event 'alert'), given to `onAlert`, written to the logger and POSTed to the webhook (timeout,
 * retries with backoff). A sink that fails or hangs is reported through `onError` and never slows or fails a
 * request: nothing here is awaited by a request.
 */
export class AuditMonitor {
  private queue: AuditEntry[] = [];
  private scheduled = false;
  private missed = 0;
  private readonly posts = new Set<Promise<void>>();
  private readonly audits = new Set<Promise<void>>();

  /**
   * @param monitor - the rules (createMonitor of @privacy-kit/core)
   * @param options - the sinks
   * @param appendAlert - appends an alert's audit record to the store (not through the monitored store)
   * @param appId - the app id of the alert records
   * @param report - where a failing sink is reported (the kit's onError)
   */
  constructor(
    private readonly monitor: Monitor,
    private readonly options: ResolvedMonitoringOptions,
    private readonly appendAlert: (entry: AuditEntry) => Promise<unknown>,
    private readonly appId: string,
    private readonly report: (error: PrivacyKitError) => void,
  ) {}

  /** Queues a committed record for the rules. Constant time; never throws. */
  observe(record: AuditRecord | AuditEntry): void {
    // No rule reads these: an outcome repeats its request's access record (same route and request id), and alerts
    // and incident records are the monitor's and the register's own. Half of an app's records never queue.
    if (record.event === 'outcome' || record.event === 'alert' || record.event === 'incident') return;
    if (this.queue.length >= MAX_PENDING_RECORDS) {
      if (this.missed++ === 0) this.fail('the monitor fell behind', `more than ${MAX_PENDING_RECORDS} audit records were waiting; records are skipped until it catches up (raise nothing, lose no audit record).`);
      return;
    }
    this.queue.push(record);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.drainNow);
    }
  }

  private readonly drainNow = (): void => this.drain();

  /** Resolves once every queued record was seen and every alert delivered (or given up on): for tests and shutdown. */
  async flush(): Promise<void> {
    // The drain is scheduled with setImmediate: the next check phase has run it.
    while (this.scheduled) await new Promise((resolve) => setImmediate(resolve));
    while (this.posts.size + this.audits.size > 0) await Promise.allSettled([...this.posts, ...this.audits]);
  }

  private drain(): void {
    this.scheduled = false;
    this.missed = 0;
    const batch = this.queue;
    this.queue = [];
    for (const record of batch) {
      let alerts: readonly Alert[];
      try {
        alerts = this.monitor.observe(record);
      } catch (error) {
        this.fail('a monitoring rule failed', error instanceof Error ? error.message : String(error));
        continue;
      }
      for (const alert of alerts) this.deliver(alert);
    }
  }

  private deliver(alert: Alert): void {
    const audited = this.appendAlert(alertEntry(alert, this.appId)).then(
      () => undefined,
      (error: unknown) => this.fail('writing the audit record of an alert', error instanceof Error ? error.message : String(error)),
    ).finally(() => this.audits.delete(audited));
    this.audits.add(audited);
    const { onAlert, logger, webhook } = this.options;
    if (onAlert !== undefined) {
      try {
        const result = onAlert(alert);
        if (result instanceof Promise) result.catch((error: unknown) => this.fail('onAlert rejected', error instanceof Error ? error.message : String(error)));
      } catch (error) {
        this.fail('onAlert threw', error instanceof Error ? error.message : String(error));
      }
    }
    if (logger !== undefined) {
      try {
        logger.warn(`[privacy-kit] alert ${alert.rule}: ${alert.explanation}`, { alert });
      } catch (error) {
        this.fail('the alert logger threw', error instanceof Error ? error.message : String(error));
      }
    }
    if (webhook !== undefined) {
      if (this.posts.size >= MAX_PENDING_POSTS) {
        this.fail('the alert webhook fell behind', `${MAX_PENDING_POSTS} deliveries are in flight; alert ${alert.id} is not posted (it is in the audit log).`);
        return;
      }
      const post = this.post(alert).finally(() => this.posts.delete(post));
      this.posts.add(post);
    }
  }

  private async post(alert: Alert): Promise<void> {
    const webhook = this.options.webhook;
    if (webhook === undefined) return;
    const body = JSON.stringify({ alert });
    let last = '';
    for (let attempt = 0; attempt <= webhook.retries; attempt++) {
      if (attempt > 0) await sleep(BACKOFF_MS[Math.min(attempt - 1, BACKOFF_MS.length - 1)] as number);
      try {
        const response = await fetch(webhook.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...webhook.headers },
          body,
          signal: AbortSignal.timeout(webhook.timeoutMs),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return;
        last = `HTTP ${response.status}`;
        // A 4xx other than 429 will not get better by trying again.
        if (response.status < 500 && response.status !== 429) break;
      } catch (error) {
        last = (error as { name?: string }).name === 'TimeoutError' ? `no answer within ${webhook.timeoutMs} ms` : error instanceof Error ? error.message : String(error);
      }
    }
    this.fail('the alert webhook failed', `alert ${alert.id} could not be posted to ${webhook.url.origin} (${last}); it is in the audit log.`);
  }

  private fail(doing: string, problem: string): void {
    try {
      this.report(expressError('PK_ALERT_DELIVERY', `monitoring: ${doing}: ${problem}`));
    } catch {
      // onError itself failed: nothing more can be done off the request path.
    }
  }
}

/**
 * The store as the kit uses it, with every appended audit record also given to the monitor once committed.
 *
 * @param store - the app's privacy store
 * @param observe - what to do with a committed record
 */
export function monitoredStore<S extends { appendAudit(entry: AuditEntry): Promise<AuditRecord> }>(store: S, observe: (record: AuditRecord) => void): S {
  const appendAudit = (entry: AuditEntry): Promise<AuditRecord> => store.appendAudit(entry).then((record) => {
    observe(record);
    return record;
  });
  // Methods are bound once, not on every call: the store is used on every request.
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, property) {
      if (property === 'appendAudit') return appendAudit;
      const known = bound.get(property);
      if (known !== undefined) return known;
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const method = (value as (...args: unknown[]) => unknown).bind(target);
      bound.set(property, method);
      return method;
    },
  });
}
