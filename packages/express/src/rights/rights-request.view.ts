import type { RightsRequest, RightsRequestStep } from '@privacy-kit/core';

/** The raw facts a request needs until it is done; dropped when it completes (data minimisation). */
export interface PendingRequestData {
  /** The app's identifier of the person, needed to run the sources' functions. */
  readonly subjectId: string;
  /** The validated rectification patch. */
  readonly patch?: Readonly<Record<string, unknown>>;
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
  return request.status !== 'completed' && Date.parse(request.dueAt) < now.getTime();
}

/**
 * The subject's view of a request: status, due date and steps, never the raw identifier or patch values.
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
