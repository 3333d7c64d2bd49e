import {
  deriveKey,
  isEnvelope,
  isPrivacyKitError,
  isoTime,
  type AuditEntry,
  type AuditRecord,
  type ConsentEvent,
  type ConsentState,
  type RightsRequest,
  type RightsRequestKind,
  type RightsRequestStatus,
  type RightsRequestStep,
} from '@privacy-kit/core';
import type { Engine } from '../engine/engine.interface';
import type { HttpErrorCode } from '../http/json-error';
import { accessLogOf, type AccessLogEntry } from './access-log';
import type { DataSource } from '../sources/data-source';
import type { DataSourceRegistry, RegisteredSource } from '../sources/data-source.registry';
import { rightsDueDate } from './due-date';
import type { ResolvedRightsOptions } from './rights.options';
import { historyOf, isFinished, pendingOf, type PendingRequestData, type RightsAdminAction, type RightsPlanChange } from './rights-request.view';
import { checkAdminReason, reasonMac } from './admin-reason';
import { expressError } from '../errors';

/** Statuses of a request that is not finished yet. */
export const UNFINISHED_STATUSES: readonly RightsRequestStatus[] = ['open', 'in_progress', 'waiting_manual'];

/** Who acts and where, for the audit records a rights operation writes. */
export interface RightsActor {
  readonly requestId: string;
  /** Pseudonym of whoever acts (the subject, an admin), or null for the app itself. */
  readonly actor: string | null;
  readonly method: string | null;
  /** The route pattern, e.g. '/privacy/me/erasure'. */
  readonly route: string | null;
}

/** The machine-readable export of everything the app holds about a person (Art. 15 and 20). */
export interface ExportDocument {
  readonly format: 'privacy-kit/export';
  readonly version: 1;
  readonly generatedAt: string;
  readonly requestId: string;
  readonly subject: { readonly id: string };
  /** Per source: its data categories and its data (null while a person still has to collect it: `status: 'manual'`). */
  readonly sources: Readonly<Record<string, { readonly description?: string; readonly categories: readonly string[]; readonly status: 'done' | 'manual'; readonly data: unknown }>>;
  readonly consents: { readonly current: readonly Record<string, unknown>[]; readonly history: readonly Record<string, unknown>[] };
  readonly accessLog: readonly AccessLogEntry[];
}

/** What a rights operation's audit record says besides who acted and where. */
interface RightsAuditFacts {
  readonly event: AuditEntry['event'];
  readonly purposes?: readonly string[];
  readonly categories?: readonly string[];
  readonly details: NonNullable<AuditEntry['details']>;
}

/** The result of an operation on an existing request that may not apply; `message` says what to do instead. */
export type RequestOutcome =
  | { readonly ok: true; readonly request: RightsRequest }
  | {
    readonly ok: false;
    readonly status: 404 | 409;
    readonly error: Extract<HttpErrorCode, 'request_not_found' | 'step_not_found' | 'step_not_manual' | 'step_done' | 'request_finished' | 'not_resumable'>;
    readonly message?: string;
  };

/** Which requests an admin lists. */
export type RequestListFilter = 'open' | 'overdue' | 'all';

const RIGHTS_PURPOSES = ['essential.legal'];
const NOT_FOUND = { ok: false, status: 404, error: 'request_not_found' } as const;
const FINISHED = { ok: false, status: 409, error: 'request_finished' } as const;
const NOT_RESUMABLE = {
  ok: false,
  status: 409,
  error: 'not_resumable',
  message: 'An export is answered to the person when they ask, and they can ask again; close this request with a reason.',
} as const;
const VERB: Record<RightsRequestKind, 'export' | 'erase' | 'rectify'> = { export: 'export', erasure: 'erase', rectification: 'rectify', access: 'export' };

function consentView(state: ConsentState): Record<string, unknown> {
  return { purpose: state.purpose, granted: state.granted, status: state.status, policyVersion: state.policyVersion, method: state.method, since: state.since, expiresAt: state.expiresAt };
}

function consentEventView(event: ConsentEvent): Record<string, unknown> {
  return { id: event.id, purpose: event.purpose, action: event.action, policyVersion: event.policyVersion, method: event.method, time: event.time, expiresAt: event.expiresAt };
}

/** What a step's error says: which function of which source failed, never the (possibly personal) error message. */
function failureText(verb: string, source: string, error: unknown): string {
  if (isPrivacyKitError(error, 'PK_SOURCE_FAILED') || isPrivacyKitError(error, 'PK_NOT_FOUND')) return error.message;
  const name = error instanceof Error ? error.name : typeof error;
  const code = typeof (error as { code?: unknown } | null)?.code === 'string' ? ` ${(error as { code: string }).code}` : '';
  return `${verb}() of source '${source}' failed (${name}${code}); the error was passed to onError. Resume the request once the source works again.`;
}

/**
 * Data subject rights on the app's data sources: export, erasure and rectification requests with due dates, manual
 * steps for a person, and resumption after a failure. The HTTP routers call it; apps may call it too.
 *
 * Requests are stored under the subject's pseudonym; the app's raw identifier (and a rectification's patch) are kept
 * in the request only while a step still needs them, and dropped when the request completes.
 */
export class RightsService {
  private readonly locks = new Map<string, Promise<void>>();
  /** Keys the digests of admin reasons in audit records; derived, so it is never the pseudonym key itself. */
  private readonly reasonKey: Buffer;

  constructor(
    private readonly engine: Engine,
    /** The app's data sources. */
    readonly sources: DataSourceRegistry,
    private readonly options: ResolvedRightsOptions,
  ) {
    this.reasonKey = deriveKey(engine.options.pseudonymKey, 'rights-reason');
  }

  /** Now, by the configured clock. */
  now(): Date {
    return this.options.clock();
  }

  /** The audit pseudonym of an app identifier. */
  pseudonym(subjectId: string): string {
    return this.engine.pseudonym(subjectId);
  }

  private get store() {
    return this.engine.options.store;
  }

  /** Runs `fn` after every earlier call with the same key has finished (per process). */
  private async exclusive<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = previous.then(() => new Promise<void>((resolve) => { release = resolve; }));
    this.locks.set(key, mine);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.locks.get(key) === mine) this.locks.delete(key);
    }
  }

  /** Appends one audit record of a rights operation. */
  audit(by: RightsActor, subject: string | null, facts: RightsAuditFacts): Promise<AuditRecord> {
    return this.store.appendAudit(this.auditEntry(by, subject, facts));
  }

  /** The audit entry of a rights operation. */
  private auditEntry(by: RightsActor, subject: string | null, facts: RightsAuditFacts): AuditEntry {
    return {
      event: facts.event,
      time: isoTime(),
      requestId: by.requestId,
      appId: this.engine.options.appId,
      actor: by.actor,
      subject,
      method: by.method,
      route: by.route,
      purposes: facts.purposes ?? RIGHTS_PURPOSES,
      basis: 'legal_obligation',
      categories: facts.categories ?? [],
      decision: 'allowed',
      reason: null,
      status: null,
      durationMs: null,
      details: facts.details,
    };
  }

  private async create(kind: RightsRequestKind, pending: PendingRequestData, steps: RightsRequestStep[], details: Record<string, unknown>): Promise<RightsRequest> {
    const receivedAt = this.now();
    const created = await this.store.createRightsRequest({
      kind,
      subject: this.pseudonym(pending.subjectId),
      dueAt: isoTime(rightsDueDate(receivedAt, this.options.dueIn)),
      details: { ...details, pending },
    });
    return this.store.updateRightsRequest(created.id, { steps });
  }

  private stepsFor(sources: readonly RegisteredSource[]): RightsRequestStep[] {
    return sources.map((s) => ({ source: s.name, status: s.manual ? 'manual' : 'pending' }));
  }

  private categoriesOf(sources: readonly RegisteredSource[]): string[] {
    return [...new Set(sources.flatMap((s) => s.categories))];
  }

  /** Tells `onManualStep` about the request's manual steps (only those of `only`, when given). */
  private async notifyManual(request: RightsRequest, only?: ReadonlySet<string>): Promise<void> {
    const notify = this.options.onManualStep;
    if (notify === undefined || request.status !== 'waiting_manual') return;
    for (const step of request.steps.filter((s) => s.status === 'manual' && (only === undefined || only.has(s.source)))) {
      try {
        await notify({ requestId: request.id, kind: request.kind, source: step.source, dueAt: request.dueAt });
      } catch (cause) {
        this.engine.report(expressError('PK_CONFIG', 'rights.onManualStep threw; the request is stored and listed for admins anyway.', { cause }), 'onManualStep');
      }
    }
  }

  /**
   * Runs every pending or failed automatic step, saving the request after each one (so a crash loses nothing and the
   * request can be resumed), then settles its status.
   */
  private async runSteps(request: RightsRequest, by: RightsActor, act: (source: DataSource, pending: PendingRequestData) => Promise<unknown>): Promise<RightsRequest> {
    const pending = pendingOf(request);
    const steps = [...request.steps];
    const runnable = steps.some((s) => s.status === 'pending' || s.status === 'failed');
    let current = request;
    if (runnable && pending !== undefined) {
      current = await this.store.updateRightsRequest(request.id, { status: 'in_progress' });
      const verb = VERB[request.kind];
      for (let i = 0; i < steps.length; i++) {
        const step = steps[i] as RightsRequestStep;
        if (step.status !== 'pending' && step.status !== 'failed') continue;
        const registered = this.sources.get(step.source);
        try {
          if (registered === undefined || registered.source[verb] === undefined) {
            // A source that is gone is not found; one that lost the function is a source that no longer works.
            throw expressError(registered === undefined ? 'PK_NOT_FOUND' : 'PK_SOURCE_FAILED', `source '${step.source}' has no ${verb}() any more; ` +
              'an admin can re-plan the request against the sources as registered now (POST .../replan), or complete the step with a reason once the data is handled.');
          }
          await act(registered.source, pending);
          steps[i] = { source: step.source, status: 'done', completedAt: isoTime(this.now()) };
        } catch (error) {
          const text = failureText(verb, step.source, error);
          this.engine.report(isPrivacyKitError(error) ? error : expressError('PK_SOURCE_FAILED', text, { cause: error }), `${verb}() of source '${step.source}'`);
          steps[i] = { source: step.source, status: 'failed', error: text };
        }
        current = await this.store.updateRightsRequest(request.id, { steps });
        await this.audit(by, request.subject, {
          event: 'rights',
          categories: registered?.categories ?? [],
          details: { requestId: request.id, kind: request.kind, source: step.source, step: (steps[i] as RightsRequestStep).status },
        });
      }
    }
    return this.settle(current, by);
  }

  /** Sets the status from the steps: failed → open with the error; manual left → waiting; else completed and minimised. */
  private async settle(request: RightsRequest, by: RightsActor): Promise<RightsRequest> {
    const failed = request.steps.filter((s) => s.status === 'failed');
    let settled: RightsRequest;
    if (failed.length > 0) {
      settled = await this.store.updateRightsRequest(request.id, { status: 'open', error: failed.map((s) => s.error ?? `${s.source} failed`).join(' ') });
    } else if (request.steps.some((s) => s.status === 'manual' || s.status === 'pending')) {
      settled = await this.store.updateRightsRequest(request.id, { status: 'waiting_manual', error: null });
    } else {
      const shredFailure = request.kind === 'erasure' ? await this.destroyDataKeys(request, by) : undefined;
      if (shredFailure !== undefined) {
        const open = await this.store.updateRightsRequest(request.id, { status: 'open', error: shredFailure });
        await this.audit(by, request.subject, { event: 'rights', details: { requestId: request.id, kind: request.kind, status: open.status } });
        return open;
      }
      // Data minimisation: the raw identifier and patch were only needed to run the steps.
      const { pending: _dropped, ...rest } = request.details ?? {};
      settled = await this.store.updateRightsRequest(request.id, { status: 'completed', error: null, details: { ...rest, completedAt: isoTime(this.now()) } });
    }
    if (settled.status !== request.status || settled.status === 'completed') {
      await this.audit(by, request.subject, { event: 'rights', details: { requestId: request.id, kind: request.kind, status: settled.status } });
    }
    return settled;
  }

  /**
   * Crypto-shredding, once an erasure's erasers ran: destroys the subject's data keys (with a field cipher), so every
   * copy of what they sealed, backups included, stays unreadable; audited. Resolves with the error text when it
   * failed (the request then stays open, and a resume tries again), undefined when done or not configured.
   */
  private async destroyDataKeys(request: RightsRequest, by: RightsActor): Promise<string | undefined> {
    const cipher = this.options.fieldCipher;
    if (cipher === undefined) return undefined;
    try {
      const destroyed = await cipher.shred(request.subject);
      await this.audit(by, request.subject, { event: 'rights', details: { requestId: request.id, kind: request.kind, step: 'data-keys-destroyed', keys: destroyed } });
      return undefined;
    } catch (error) {
      const text = "the data subject's data keys could not be destroyed (crypto-shredding); resume the request to try again.";
      this.engine.report(isPrivacyKitError(error) ? error : expressError('PK_STORE_UNAVAILABLE', text, { cause: error }), 'destroying the data keys of an erasure');
      return text;
    }
  }

  /** A source's export with its sealed values opened (with a field cipher and a model); other values as they are. */
  private async openSealed(value: unknown, model: Function, subject: string): Promise<unknown> {
    const cipher = this.options.fieldCipher;
    if (cipher === undefined || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return Promise.all(value.map((item) => this.openSealed(item, model, subject)));
    const fields = cipher.encryptedFields(model);
    if (!fields.some((f) => isEnvelope((value as Record<string, unknown>)[f]))) return value;
    const opened: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const field of fields) {
      if (isEnvelope(opened[field])) opened[field] = await cipher.openValue(model, field, subject, opened[field]);
    }
    return opened;
  }

  /**
   * Builds the export of everything about a person: each source's export, their consents and their access log.
   * The access is audited before anything is read. A failing source leaves the request open with its error and
   * gives no document (a partial export would look complete).
   *
   * @param subjectId - the app's identifier of the person
   * @param by - who asks, for the audit
   */
  async exportData(subjectId: string, by: RightsActor): Promise<{ readonly request: RightsRequest; readonly document?: ExportDocument }> {
    const subject = this.pseudonym(subjectId);
    const involved = this.sources.list().filter((s) => s.source.export !== undefined || s.manual);
    await this.audit(by, subject, { event: 'access', categories: this.categoriesOf(involved), details: { kind: 'export' } });
    let request = await this.create('export', { subjectId }, this.stepsFor(involved), { sources: involved.map((s) => s.name) });
    await this.audit(by, subject, { event: 'rights', categories: this.categoriesOf(involved), details: { requestId: request.id, kind: 'export', stage: 'received' } });
    const data = new Map<DataSource, unknown>();
    request = await this.exclusive(`request:${request.id}`, () => this.runSteps(request, by, async (source, pending) => {
      const value: unknown = await (source.export as NonNullable<DataSource['export']>)(pending.subjectId);
      try {
        JSON.stringify(value);
      } catch (cause) {
        const name = involved.find((s) => s.source === source)?.name ?? '?';
        throw expressError('PK_SOURCE_FAILED', `export() of source '${name}' returned data that cannot be written as JSON (a cycle or a BigInt); return plain data.`, { cause });
      }
      data.set(source, await this.openSealed(value ?? null, source.model, this.pseudonym(pending.subjectId)));
    }));
    await this.notifyManual(request);
    if (request.status === 'open') return { request };
    const [current, history, records] = await Promise.all([
      this.store.currentConsents(subject),
      this.store.consentHistory(subject),
      this.store.readAudit({ subject }),
    ]);
    const document: ExportDocument = {
      format: 'privacy-kit/export',
      version: 1,
      generatedAt: isoTime(this.now()),
      requestId: request.id,
      subject: { id: subjectId },
      sources: Object.fromEntries(involved.map((s) => [s.name, {
        ...(s.source.description === undefined ? {} : { description: s.source.description }),
        categories: s.categories,
        status: s.manual ? 'manual' as const : 'done' as const,
        data: s.manual ? null : data.get(s.source) ?? null,
      }])),
      consents: { current: current.map(consentView), history: history.map(consentEventView) },
      accessLog: accessLogOf(records, subject),
    };
    return { request, document };
  }

  /** Withdraws every granted consent of the person (method 'erasure'); idempotent. */
  private async withdrawConsents(subjectId: string, request: RightsRequest, by: RightsActor): Promise<void> {
    const subject = this.pseudonym(subjectId);
    const granted = (await this.store.currentConsents(subject)).filter((s) => s.granted);
    if (granted.length === 0) return;
    // The withdrawals and their audit record commit together, or none does (the erasure is resumable).
    await this.engine.recordConsentChange(subject, granted.map((s) => ({ purpose: s.purpose, granted: false, policyVersion: s.policyVersion })), 'erasure', this.auditEntry(by, subject, {
      event: 'consent',
      purposes: granted.map((s) => s.purpose),
      categories: ['user.account.settings'],
      details: { requestId: request.id, kind: 'erasure', granted: false, method: 'erasure', withdrawn: granted.length },
    }));
  }

  /**
   * Erases a person: withdraws every consent, runs every source's `erase()`, and queues manual sources for a person.
   * Idempotent: while an erasure of the person is unfinished, asking again resumes that request (same id) instead of
   * opening another; a failed eraser stays `failed` in the steps and the request `open` until a resume succeeds.
   *
   * @param subjectId - the app's identifier of the person
   * @param by - who asks, for the audit
   */
  async requestErasure(subjectId: string, by: RightsActor): Promise<{ readonly request: RightsRequest; readonly resumed: boolean }> {
    const subject = this.pseudonym(subjectId);
    return this.exclusive(`erasure:${subject}`, async () => {
      const unfinished = (await this.store.listRightsRequests({ subject, status: UNFINISHED_STATUSES })).find((r) => r.kind === 'erasure');
      let request: RightsRequest;
      if (unfinished !== undefined) {
        request = unfinished;
        await this.audit(by, subject, { event: 'rights', details: { requestId: request.id, kind: 'erasure', stage: 'resumed' } });
      } else {
        const all = this.sources.list();
        const erasable = all.filter((s) => s.source.erase !== undefined || s.manual);
        const retained = all.filter((s) => s.source.erase === undefined && !s.manual).map((s) => ({ source: s.name, reason: s.source.keepOnErasure as string }));
        request = await this.create('erasure', { subjectId }, this.stepsFor(erasable), { sources: erasable.map((s) => s.name), retained });
        await this.audit(by, subject, { event: 'rights', categories: this.categoriesOf(erasable), details: { requestId: request.id, kind: 'erasure', stage: 'received' } });
      }
      await this.withdrawConsents(subjectId, request, by);
      const settled = await this.exclusive(`request:${request.id}`, async () => {
        const fresh = (await this.store.getRightsRequest(request.id)) ?? request;
        return this.runSteps(fresh, by, (source, pending) => Promise.resolve((source.erase as NonNullable<DataSource['erase']>)(pending.subjectId)));
      });
      if (unfinished === undefined) await this.notifyManual(settled);
      return { request: settled, resumed: unfinished !== undefined };
    });
  }

  /**
   * Corrects a person's data in one source with a patch already checked by `checkRectification()`.
   * A manual source queues the patch for a person.
   *
   * @param subjectId - the app's identifier of the person
   * @param source - the checked source
   * @param patch - the checked patch (personal, rectifiable fields only)
   * @param by - who asks, for the audit
   */
  async requestRectification(subjectId: string, source: RegisteredSource, patch: Readonly<Record<string, unknown>>, by: RightsActor): Promise<RightsRequest> {
    const subject = this.pseudonym(subjectId);
    const fields = Object.keys(patch);
    const categories = [...new Set(fields.flatMap((f) => source.fields.get(f)?.categories ?? []))];
    const request = await this.create('rectification', { subjectId, patch }, this.stepsFor([source]), { source: source.name, fields });
    await this.audit(by, subject, { event: 'rights', categories, details: { requestId: request.id, kind: 'rectification', stage: 'received', source: source.name, fields: fields.join(',') } });
    const settled = await this.exclusive(`request:${request.id}`, () => this.runSteps(request, by, (s, pending) =>
      Promise.resolve((s.rectify as NonNullable<DataSource['rectify']>)(pending.subjectId, { ...(pending.patch ?? {}) }))));
    await this.notifyManual(settled);
    return settled;
  }

  /**
   * Runs the failed and pending automatic steps of an unfinished erasure or rectification again.
   *
   * @param id - the request id
   * @param by - who resumes it, for the audit
   */
  async resume(id: string, by: RightsActor): Promise<RequestOutcome> {
    const found = await this.store.getRightsRequest(id);
    if (found === undefined) return NOT_FOUND;
    if (found.kind === 'erasure') {
      const pending = pendingOf(found);
      if (isFinished(found) || pending === undefined) return FINISHED;
      // Through the subject's lock, so a resume and a repeated request of the person never run the same eraser twice at once.
      return this.exclusive(`erasure:${found.subject}`, async () => {
        await this.withdrawConsents(pending.subjectId, found, by);
        return this.resumeSteps(id, by);
      });
    }
    if (found.kind === 'rectification') return this.resumeSteps(id, by);
    return NOT_RESUMABLE;
  }

  private resumeSteps(id: string, by: RightsActor): Promise<RequestOutcome> {
    return this.exclusive(`request:${id}`, async () => {
      const request = await this.store.getRightsRequest(id);
      if (request === undefined) return NOT_FOUND;
      if (isFinished(request) || pendingOf(request) === undefined) return FINISHED;
      await this.audit(by, request.subject, { event: 'rights', details: { requestId: id, kind: request.kind, stage: 'resumed' } });
      return { ok: true, request: await this.runSteps(request, by, this.actOf(request.kind)) } as const;
    });
  }

  /** What a step of a request of this kind runs. */
  private actOf(kind: RightsRequestKind): (source: DataSource, pending: PendingRequestData) => Promise<unknown> {
    return kind === 'erasure'
      ? (source, pending) => Promise.resolve((source.erase as NonNullable<DataSource['erase']>)(pending.subjectId))
      : (source, pending) => Promise.resolve((source.rectify as NonNullable<DataSource['rectify']>)(pending.subjectId, { ...(pending.patch ?? {}) }));
  }

  /** A reason as kept and shown; a bad one is a programming error of the caller (the HTTP API checks it first). */
  private reasonOf(reason: unknown, what: string): string {
    const checked = checkAdminReason(reason);
    if (!checked.ok) throw expressError('PK_INVALID_OPTION', `rights.${what}(): ${checked.message}.`);
    return checked.reason;
  }

  /** The request's details with one more admin action in its history. */
  private withAction(request: RightsRequest, action: Omit<RightsAdminAction, 'time'>, details: Readonly<Record<string, unknown>> = request.details ?? {}): Record<string, unknown> {
    return { ...details, history: [...historyOf(request), { time: isoTime(this.now()), ...action }] };
  }

  /** The audit record of an admin action: who, on whose request, what, and a keyed digest of the reason (never its text). */
  private auditAction(by: RightsActor, request: RightsRequest, action: RightsAdminAction['action'], reason: string, extra: Readonly<Record<string, string>> = {}, categories: readonly string[] = []): Promise<AuditRecord> {
    return this.audit(by, request.subject, {
      event: 'rights',
      categories,
      details: { requestId: request.id, kind: request.kind, action, ...extra, reasonMac: reasonMac(this.reasonKey, reason) },
    });
  }

  /**
   * The steps of an unfinished erasure or rectification as the sources registered now would plan them, keeping what
   * is done: a step whose source now has the function becomes pending again, a manual source's step manual, an
   * erasure step whose source now keeps its data (`keepOnErasure`) moves to `retained`; an erasure gains the sources
   * registered since (and loses from `retained` a source that now erases). A step whose source is not registered any
   * more stays as it is: only a person can say its data is handled (complete it with a reason).
   */
  private plan(request: RightsRequest): { steps: RightsRequestStep[]; retained: { source: string; reason: string }[]; changes: RightsPlanChange[] } {
    const erasure = request.kind === 'erasure';
    const verb = VERB[request.kind];
    const wasRetained = Array.isArray(request.details?.retained) ? (request.details.retained as { source: string; reason: string }[]) : [];
    const steps: RightsRequestStep[] = [];
    const retained: { source: string; reason: string }[] = [];
    const changes: RightsPlanChange[] = [];
    const target = (s: RegisteredSource): RightsRequestStep['status'] | 'kept' | undefined =>
      s.manual ? 'manual' : s.source[verb] !== undefined ? 'pending' : erasure && s.source.keepOnErasure !== undefined ? 'kept' : undefined;
    for (const step of request.steps) {
      const now = this.sources.get(step.source);
      const to = step.status === 'done' || now === undefined ? undefined : target(now);
      if (to === undefined || to === step.status) {
        steps.push(step);
      } else if (to === 'kept') {
        retained.push({ source: step.source, reason: now?.source.keepOnErasure as string });
        changes.push({ source: step.source, from: step.status, to });
      } else {
        steps.push({ source: step.source, status: to });
        changes.push({ source: step.source, from: step.status, to });
      }
    }
    if (erasure) {
      for (const kept of wasRetained) {
        const now = this.sources.get(kept.source);
        const to = now === undefined ? 'kept' : target(now) ?? 'kept';
        if (to === 'kept') retained.push(now?.source.keepOnErasure === undefined ? kept : { source: kept.source, reason: now.source.keepOnErasure });
        else {
          steps.push({ source: kept.source, status: to });
          changes.push({ source: kept.source, from: 'kept', to });
        }
      }
      const known = new Set([...request.steps.map((s) => s.source), ...wasRetained.map((r) => r.source)]);
      for (const s of this.sources.list().filter((x) => !known.has(x.name))) {
        const to = target(s);
        if (to === undefined) continue;
        if (to === 'kept') retained.push({ source: s.name, reason: s.source.keepOnErasure as string });
        else steps.push({ source: s.name, status: to });
        changes.push({ source: s.name, from: 'absent', to });
      }
    }
    return { steps, retained, changes };
  }

  /**
   * Re-plans an unfinished erasure or rectification against the sources as registered now (see the README: a source
   * switched to `keepOnErasure` becomes a kept source, a source that regained its function runs again, a new source
   * joins an erasure), records the re-plan with its reason in the request's history (shown to the person) and in
   * the audit, then runs the automatic steps and settles the request.
   *
   * @param id - the request id
   * @param reason - why, 1 to 500 characters; the person sees it
   * @param by - the admin, for the audit
   */
  async replan(id: string, reason: string, by: RightsActor): Promise<RequestOutcome> {
    const why = this.reasonOf(reason, 'replan');
    const found = await this.store.getRightsRequest(id);
    if (found === undefined) return NOT_FOUND;
    if (found.kind !== 'erasure' && found.kind !== 'rectification') return isFinished(found) ? FINISHED : NOT_RESUMABLE;
    const replan = (): Promise<RequestOutcome> => this.exclusive(`request:${id}`, async () => {
      const request = await this.store.getRightsRequest(id);
      if (request === undefined) return NOT_FOUND;
      const pending = pendingOf(request);
      if (isFinished(request) || pending === undefined) return FINISHED;
      const { steps, retained, changes } = this.plan(request);
      const details = request.kind === 'erasure' ? { ...(request.details ?? {}), retained } : request.details;
      let updated = await this.store.updateRightsRequest(id, { steps, details: this.withAction(request, { action: 'replanned', reason: why, changes }, details) });
      await this.auditAction(by, request, 'replanned', why, { changes: changes.map((c) => `${c.source}:${c.from}>${c.to}`).join(',') });
      if (request.kind === 'erasure') await this.withdrawConsents(pending.subjectId, updated, by);
      updated = await this.runSteps(updated, by, this.actOf(request.kind));
      await this.notifyManual(updated, new Set(changes.filter((c) => c.to === 'manual').map((c) => c.source)));
      return { ok: true, request: updated } as const;
    });
    // An erasure re-plans through the subject's lock too, like a resume, so no eraser runs twice at once.
    return found.kind === 'erasure' ? this.exclusive(`erasure:${found.subject}`, replan) : replan();
  }

  /**
   * Records that a step is done: a manual step (e.g. a person erased the paper archive; the reason is optional), or
   * with a reason any step that is not done (e.g. a failed eraser whose data an admin handled by hand). Completes the
   * request when nothing is left, which also drops its raw identifier. A reason goes into the request's history
   * (shown to the person) and, as a keyed digest, into the audit.
   *
   * @param id - the request id
   * @param source - the step's source name
   * @param by - the admin, for the audit
   * @param reason - why; required for a step that is not manual
   */
  completeStep(id: string, source: string, by: RightsActor, reason?: string): Promise<RequestOutcome> {
    const why = reason === undefined ? undefined : this.reasonOf(reason, 'completeStep');
    return this.exclusive(`request:${id}`, async () => {
      const request = await this.store.getRightsRequest(id);
      if (request === undefined) return NOT_FOUND;
      const index = request.steps.findIndex((s) => s.source === source);
      if (index === -1) return { ok: false, status: 404, error: 'step_not_found' } as const;
      if (isFinished(request)) return FINISHED;
      const status = request.steps[index]?.status;
      if (status === 'done') return { ok: false, status: 409, error: 'step_done', message: 'The step is already done.' } as const;
      if (status !== 'manual' && why === undefined) {
        return { ok: false, status: 409, error: 'step_not_manual', message: 'The step is run by the source, not by a person. To record it as done anyway, send {"reason": "..."} saying why; the person sees the reason.' } as const;
      }
      const steps = request.steps.map((s, i) => (i === index ? { source, status: 'done' as const, completedAt: isoTime(this.now()) } : s));
      const categories = this.sources.get(source)?.categories ?? [];
      let updated: RightsRequest;
      if (why === undefined) {
        updated = await this.store.updateRightsRequest(id, { steps });
        await this.audit(by, request.subject, { event: 'rights', categories, details: { requestId: id, kind: request.kind, source, step: 'done', manual: true } });
      } else {
        updated = await this.store.updateRightsRequest(id, { steps, details: this.withAction(request, { action: 'step_completed', reason: why, source }) });
        await this.auditAction(by, request, 'step_completed', why, { source, step: 'done' }, categories);
      }
      return { ok: true, request: await this.settle(updated, by) } as const;
    });
  }

  /**
   * Records that a person did a manual step (e.g. erased the paper archive); completes the request when nothing is
   * left, which also drops its raw identifier. The same as {@link completeStep} without a reason.
   *
   * @param id - the request id
   * @param source - the manual source's name
   * @param by - the admin, for the audit
   */
  completeManualStep(id: string, source: string, by: RightsActor): Promise<RequestOutcome> {
    return this.completeStep(id, source, by);
  }

  /**
   * Closes an unfinished request of any kind with a reason (e.g. the person withdrew it, a duplicate): status
   * `closed`, steps left as they were, the raw identifier dropped. The reason goes into the request's history (shown
   * to the person) and, as a keyed digest, into the audit.
   *
   * @param id - the request id
   * @param reason - why, 1 to 500 characters; the person sees it
   * @param by - the admin, for the audit
   */
  close(id: string, reason: string, by: RightsActor): Promise<RequestOutcome> {
    const why = this.reasonOf(reason, 'close');
    return this.exclusive(`request:${id}`, async () => {
      const request = await this.store.getRightsRequest(id);
      if (request === undefined) return NOT_FOUND;
      if (isFinished(request)) return FINISHED;
      const { pending: _dropped, ...rest } = request.details ?? {};
      const details = this.withAction(request, { action: 'closed', reason: why }, { ...rest, closedAt: isoTime(this.now()) });
      const closed = await this.store.updateRightsRequest(id, { status: 'closed', details });
      await this.auditAction(by, request, 'closed', why, { status: 'closed' });
      return { ok: true, request: closed } as const;
    });
  }

  /**
   * Requests for admins: unfinished ones ('open'), unfinished and past due ('overdue'), or all.
   *
   * @param filter - which
   */
  listRequests(filter: RequestListFilter): Promise<readonly RightsRequest[]> {
    if (filter === 'all') return this.store.listRightsRequests({});
    if (filter === 'overdue') return this.store.listRightsRequests({ status: UNFINISHED_STATUSES, dueBefore: isoTime(this.now()) });
    return this.store.listRightsRequests({ status: UNFINISHED_STATUSES });
  }

  /** One request, if it exists. */
  getRequest(id: string): Promise<RightsRequest | undefined> {
    return this.store.getRightsRequest(id);
  }

  /** Every request of a person, oldest first. */
  requestsOf(subjectId: string): Promise<readonly RightsRequest[]> {
    return this.store.listRightsRequests({ subject: this.pseudonym(subjectId) });
  }

  /**
   * The person's access log: who accessed their data, when and why, from the audit.
   *
   * @param subjectId - the app's identifier of the person
   * @param page - `after` a seq, at most `limit` entries
   */
  async accessLog(subjectId: string, page: { readonly after?: number; readonly limit: number }): Promise<AccessLogEntry[]> {
    const subject = this.pseudonym(subjectId);
    const entries: AccessLogEntry[] = [];
    let after = page.after;
    // Read in batches: the subject's records also hold outcomes and refusals, which the log leaves out.
    for (;;) {
      const batch = await this.store.readAudit({ subject, ...(after === undefined ? {} : { afterSeq: after }), limit: 500 });
      entries.push(...accessLogOf(batch, subject));
      if (entries.length >= page.limit || batch.length < 500) break;
      after = (batch[batch.length - 1] as AuditRecord).seq;
    }
    return entries.slice(0, page.limit);
  }
}
