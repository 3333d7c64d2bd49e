import type { RightsRequest, RightsRequestStep } from '@privacy-kit/core';

/** The raw facts a request needs until it is done; dropped when it completes (data minimisation). */
export interface PendingRequestData {
  /** The app's identifier of the person, needed to run the sources' functions. */
  readonly subjectId: string;
  /** The validated rectification patch. */
  readonly patch?: Readonly<Record<string, unknown>>;
}

/** What re-planning did to one source's part of a request. */
export interface RightsPlanChange {
  readonly source: string;
  /** The step's status before, 'kept' for a source that kept its data, 'absent' for a source the request did not have. */
  readonly from: RightsRequestStep['status'] | 'kept' | 'absent';
  /** The step's status after, or 'kept' when the source now keeps its data (`keepOnErasure`). */
  readonly to: RightsRequestStep['status'] | 'kept';
}

/** Something an admin did to a request, shown to the person with the request. */
export interface RightsAdminAction {
  /** ISO 8601. */
  readonly time: string;
  /** Re-planned against the sources as registered, completed a step, or closed the request. */
  readonly action: 'replanned' | 'step_completed' | 'closed';
  /** Why, as the admin wrote it (control characters removed). */
  readonly reason: string;
  /** The step an admin completed. */
  readonly source?: string;
  /** What a re-plan changed, per source. */
  readonly changes?: readonly RightsPlanChange[];
}

/** Statuses after which nothing more happens to a request. */
export const FINISHED_STATUSES: readonly RightsRequest['status'][] = ['completed', 'closed'];

/** Whether a request is completed or closed. */
export function isFinished(request: RightsRequest): boolean {
  return FINISHED_STATUSES.includes(request.status);
}

/** The admin actions recorded on a request, oldest first. */
export function historyOf(request: RightsRequest): readonly RightsAdminAction[] {
  const history = request.details?.history;
  return Array.isArray(history) ? (history as RightsAdminAction[]) : [];
}

/** What a data subject sees of one of their requests. */
export interface RightsRequestView {
  readonly id: string;
  readonly kind: RightsRequest['kind'];
  readonly status: RightsRequest['status'];
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly dueAt: string;
  /** Not completed and past its due date. */
  readonly overdue: boolean;
  readonly steps: readonly RightsRequestStep[];
  readonly error: string | null;
  /** Rectification: the source and the names of the corrected fields. */
  readonly source?: string;
  readonly fields?: readonly string[];
  /** Erasure: sources that keep their data, and why (Art. 17(3)). */
  readonly retained?: readonly { readonly source: string; readonly reason: string }[];
  /** What admins did to the request (re-planned it, completed a step, closed it), with when and why; absent when nothing. */
  readonly history?: readonly RightsAdminAction[];
}

/** What an admin sees: the subject's pseudonym and, while the request is unfinished, the data to act on. */
export interface AdminRightsRequestView extends RightsRequestView {
  readonly subject: string;
  readonly pending?: PendingRequestData;
}

/** The pending data of a request, if it still has any. */
export function pendingOf(request: RightsRequest): PendingRequestData | undefined {
  const pending = request.details?.pending as PendingRequestData | undefined;
  return typeof pending === 'object' && pending !== null && typeof pending.subjectId === 'string' ? pending : undefined;
}

/** Whether a request is unfinished and past its due date at `now`. */
export function isOverdue(request: RightsRequest, now: Date): boolean {
  return !isFinished(request) && Date.parse(request.dueAt) < now.getTime();
}

/**
 * The subject's view of a request: status, due date, steps and what admins did, never the raw identifier or patch
 * values.
 *
 * @param request - as stored
 * @param now - for `overdue`
 */
export function subjectView(request: RightsRequest, now: Date): RightsRequestView {
  const details = request.details ?? {};
  return {
    id: request.id,
    kind: request.kind,
    status: request.status,
    createdAt: request.createdAt,
    updatedAt: request.updatedAt,
    dueAt: request.dueAt,
    overdue: isOverdue(request, now),
    steps: request.steps.map((s) => ({ ...s })),
    error: request.error,
    ...(typeof details.source === 'string' ? { source: details.source } : {}),
    ...(Array.isArray(details.fields) ? { fields: details.fields as string[] } : {}),
    ...(Array.isArray(details.retained) ? { retained: details.retained as { source: string; reason: string }[] } : {}),
    ...(historyOf(request).length > 0 ? { history: historyOf(request) } : {}),
  };
}

/**
 * An admin's view of a request.
 *
 * @param request - as stored
 * @param now - for `overdue`
 * @param withPending - include the raw data still needed to act (only for one request at a time, audited)
 */
export function adminView(request: RightsRequest, now: Date, withPending: boolean): AdminRightsRequestView {
  const pending = withPending ? pendingOf(request) : undefined;
  return { ...subjectView(request, now), subject: request.subject, ...(pending === undefined ? {} : { pending }) };
}
