import express, { type Request, type Response, type Router } from 'express';
import type { Engine } from '../engine/engine.interface';
import { sendJsonError } from '../http/json-error';
import { checkAdminReason } from './admin-reason';
import { handleAsync, identifyAdmin, jsonBody } from './rights-http';
import { adminView, isOverdue } from './rights-request.view';
import type { RequestListFilter, RequestOutcome, RightsService } from './rights.service';

const FILTERS: readonly RequestListFilter[] = ['open', 'overdue', 'all'];
const REASON_EXAMPLE = '{"reason": "The person withdrew the request by phone."}';
const SAFE_NAME = /^[A-Za-z_$][A-Za-z0-9_$.-]{0,63}$/;

/**
 * The admin's reason from the body, or undefined after answering 400 listing what is wrong. With `optional`, no body
 * (or an empty object) gives null.
 */
function reasonFrom(req: Request, res: Response, optional: boolean): string | null | undefined {
  const body: unknown = req.body;
  const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
  if (optional && (body === undefined || (isObject && Object.keys(body).length === 0))) return null;
  if (!isObject) {
    sendJsonError(res, 400, { error: 'invalid_body', problems: [{ property: '(body)', messages: [`the body must be a JSON object such as ${REASON_EXAMPLE}`] }] });
    return undefined;
  }
  const problems = Object.keys(body).filter((key) => key !== 'reason').map((key) => ({
    property: SAFE_NAME.test(key) ? key : '(unknown property)',
    messages: [`${SAFE_NAME.test(key) ? `'${key}'` : '(the given name)'} is not allowed; send only "reason"`],
  }));
  const checked = checkAdminReason((body as Record<string, unknown>).reason);
  if (!checked.ok) problems.push({ property: 'reason', messages: [checked.message] });
  if (!checked.ok || problems.length > 0) {
    sendJsonError(res, 400, { error: 'invalid_body', problems });
    return undefined;
  }
  return checked.reason;
}

/**
 * The admin side of the rights API, under the base path, for the `adminRoles`:
 * `GET /admin/requests?status=open|overdue|all`, `GET /admin/requests/:id`, `POST /admin/requests/:id/resume`,
 * `POST /admin/requests/:id/replan` and `POST /admin/requests/:id/close` (body `{ reason }`), and
 * `POST /admin/requests/:id/steps/:source/complete` (body `{ reason }`, required unless the step is manual).
 *
 * @param engine - the kit's engine (identity, audit)
 * @param rights - the rights service
 */
export function createRightsAdminRouter(engine: Engine, rights: RightsService): Router {
  const router = express.Router();
  const base = engine.options.basePath;

  function answer(res: Response, outcome: RequestOutcome): void {
    if (!outcome.ok) {
      sendJsonError(res, outcome.status, { error: outcome.error, ...(outcome.message === undefined ? {} : { message: outcome.message }) });
      return;
    }
    res.set('Cache-Control', 'no-store').json({ request: adminView(outcome.request, rights.now(), false) });
  }

  router.get(`${base}/admin/requests`, handleAsync(engine, 'the admin rights API', async (req: Request, res: Response) => {
    const admin = await identifyAdmin(engine, req, res, `${base}/admin/requests`);
    if (admin === undefined) return;
    const status = req.query.status ?? 'open';
    if (typeof status !== 'string' || !(FILTERS as readonly string[]).includes(status)) {
      sendJsonError(res, 400, { error: 'invalid_query', message: `status must be one of ${FILTERS.join(', ')}.` });
      return;
    }
    // The list shows pseudonyms only; the raw data to act on is read one request at a time (and audited per subject).
    await rights.audit(admin.by, null, { event: 'access', details: { kind: 'rights_requests', filter: status } });
    const requests = await rights.listRequests(status as RequestListFilter);
    const now = rights.now();
    res.set('Cache-Control', 'no-store').json({
      requests: requests.map((r) => adminView(r, now, false)),
      overdue: requests.filter((r) => isOverdue(r, now)).length,
    });
  }));

  router.get(`${base}/admin/requests/:id`, handleAsync(engine, 'the admin rights API', async (req: Request, res: Response) => {
    const admin = await identifyAdmin(engine, req, res, `${base}/admin/requests/:id`);
    if (admin === undefined) return;
    const request = await rights.getRequest(String(req.params.id));
    if (request === undefined) {
      sendJsonError(res, 404, { error: 'request_not_found' });
      return;
    }
    await rights.audit(admin.by, request.subject, { event: 'access', details: { kind: 'rights_request', requestId: request.id } });
    res.set('Cache-Control', 'no-store').json({ request: adminView(request, rights.now(), true) });
  }));

  router.post(`${base}/admin/requests/:id/resume`, handleAsync(engine, 'the admin rights API', async (req: Request, res: Response) => {
    const admin = await identifyAdmin(engine, req, res, `${base}/admin/requests/:id/resume`);
    if (admin === undefined) return;
    answer(res, await rights.resume(String(req.params.id), admin.by));
  }));

  router.post(`${base}/admin/requests/:id/replan`, jsonBody(REASON_EXAMPLE), handleAsync(engine, 'the admin rights API', async (req: Request, res: Response) => {
    const admin = await identifyAdmin(engine, req, res, `${base}/admin/requests/:id/replan`);
    if (admin === undefined) return;
    const reason = reasonFrom(req, res, false);
    if (typeof reason !== 'string') return;
    answer(res, await rights.replan(String(req.params.id), reason, admin.by));
  }));

  router.post(`${base}/admin/requests/:id/close`, jsonBody(REASON_EXAMPLE), handleAsync(engine, 'the admin rights API', async (req: Request, res: Response) => {
    const admin = await identifyAdmin(engine, req, res, `${base}/admin/requests/:id/close`);
    if (admin === undefined) return;
    const reason = reasonFrom(req, res, false);
    if (typeof reason !== 'string') return;
    answer(res, await rights.close(String(req.params.id), reason, admin.by));
  }));

  router.post(`${base}/admin/requests/:id/steps/:source/complete`, jsonBody(REASON_EXAMPLE), handleAsync(engine, 'the admin rights API', async (req: Request, res: Response) => {
    const admin = await identifyAdmin(engine, req, res, `${base}/admin/requests/:id/steps/:source/complete`);
    if (admin === undefined) return;
    const reason = reasonFrom(req, res, true);
    if (reason === undefined) return;
    answer(res, await rights.completeStep(String(req.params.id), String(req.params.source), admin.by, reason ?? undefined));
  }));

  return router;
}
