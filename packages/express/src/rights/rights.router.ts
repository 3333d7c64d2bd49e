import express, { type Request, type Response, type Router } from 'express';
import { isPrivacyKitError } from '@privacy-kit/core';
import type { Engine } from '../engine/engine.interface';
import { sendJsonError } from '../http/json-error';
import { checkRectification } from './rectification.validator';
import { handleAsync, identifyCaller, jsonBody } from './rights-http';
import { subjectView } from './rights-request.view';
import { createRightsAdminRouter } from './rights-admin.router';
import type { RightsService } from './rights.service';

/** Entries per page of `GET /me/access-log` when `limit` is not given. */
export const DEFAULT_ACCESS_LOG_LIMIT = 100;
/** The largest `limit` of `GET /me/access-log`. */
export const MAX_ACCESS_LOG_LIMIT = 1000;

const RECTIFICATION_EXAMPLE = '{"source": "users", "patch": {"email": "new@example.com"}}';

function wholeNumber(value: unknown, min: number, max: number): number | undefined | null {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}

/**
 * The data subject rights API for the authenticated person, under the base path: `GET /me/export`,
 * `POST /me/erasure`, `POST /me/rectification`, `GET /me/requests`, `GET /me/requests/:id` and `GET /me/access-log`;
 * and the admin endpoints of `createRightsAdminRouter()`.
 *
 * @param engine - the kit's engine (identity, audit)
 * @param rights - the rights service
 */
export function createRightsRouter(engine: Engine, rights: RightsService): Router {
  const router = express.Router();
  const base = engine.options.basePath;
  const noStore = (res: Response): Response => res.set('Cache-Control', 'no-store');

  router.get(`${base}/me/export`, handleAsync(engine, 'the export API', async (req: Request, res: Response) => {
    const caller = await identifyCaller(engine, req, res, `${base}/me/export`);
    if (caller === undefined) return;
    const { request, document } = await rights.exportData(caller.identity.id, caller.by);
    if (document === undefined) {
      sendJsonError(res, 500, {
        error: 'source_failed',
        message: 'A data source could not export your data. The request stays open; ask again later.',
        request: subjectView(request, rights.now()),
      });
      return;
    }
    const day = document.generatedAt.slice(0, 10);
    noStore(res).set('Content-Disposition', `attachment; filename="personal-data-${day}.json"`).json(document);
  }));

  router.post(`${base}/me/erasure`, handleAsync(engine, 'the erasure API', async (req: Request, res: Response) => {
    const caller = await identifyCaller(engine, req, res, `${base}/me/erasure`);
    if (caller === undefined) return;
    const { request, resumed } = await rights.requestErasure(caller.identity.id, caller.by);
    noStore(res).status(202).set('Location', `${base}/me/requests/${request.id}`).json({ request: subjectView(request, rights.now()), resumed });
  }));

  router.post(`${base}/me/rectification`, jsonBody(RECTIFICATION_EXAMPLE), handleAsync(engine, 'the rectification API', async (req: Request, res: Response) => {
    const caller = await identifyCaller(engine, req, res, `${base}/me/rectification`);
    if (caller === undefined) return;
    let checked: Awaited<ReturnType<typeof checkRectification>>;
    try {
      checked = await checkRectification(req.body, rights.sources);
    } catch (error) {
      if (!isPrivacyKitError(error, 'PK_SOURCE_FAILED')) throw error;
      engine.report(error, 'validate() of a source');
      sendJsonError(res, 500, { error: 'source_failed', message: 'The data source could not check the correction; nothing was changed. Ask again later.' });
      return;
    }
    if (!checked.ok) {
      sendJsonError(res, 400, { error: 'invalid_body', problems: checked.problems });
      return;
    }
    const request = await rights.requestRectification(caller.identity.id, checked.source, checked.patch, caller.by);
    noStore(res).status(request.status === 'completed' ? 200 : 202).set('Location', `${base}/me/requests/${request.id}`).json({ request: subjectView(request, rights.now()) });
  }));

  router.get(`${base}/me/requests`, handleAsync(engine, 'the rights requests API', async (req: Request, res: Response) => {
    const caller = await identifyCaller(engine, req, res, `${base}/me/requests`);
    if (caller === undefined) return;
    await rights.audit(caller.by, caller.pseudonym, { event: 'access', details: { kind: 'rights_requests' } });
    const now = rights.now();
    noStore(res).json({ requests: (await rights.requestsOf(caller.identity.id)).map((r) => subjectView(r, now)) });
  }));

  router.get(`${base}/me/requests/:id`, handleAsync(engine, 'the rights requests API', async (req: Request, res: Response) => {
    const caller = await identifyCaller(engine, req, res, `${base}/me/requests/:id`);
    if (caller === undefined) return;
    await rights.audit(caller.by, caller.pseudonym, { event: 'access', details: { kind: 'rights_request' } });
    const request = await rights.getRequest(String(req.params.id));
    // Someone else's request reads as missing, so ids cannot be probed.
    if (request === undefined || request.subject !== caller.pseudonym) {
      sendJsonError(res, 404, { error: 'request_not_found' });
      return;
    }
    noStore(res).json({ request: subjectView(request, rights.now()) });
  }));

  router.get(`${base}/me/access-log`, handleAsync(engine, 'the access log API', async (req: Request, res: Response) => {
    const caller = await identifyCaller(engine, req, res, `${base}/me/access-log`);
    if (caller === undefined) return;
    const after = wholeNumber(req.query.after, 0, Number.MAX_SAFE_INTEGER);
    const limit = wholeNumber(req.query.limit, 1, MAX_ACCESS_LOG_LIMIT);
    if (after === null || limit === null) {
      sendJsonError(res, 400, { error: 'invalid_query', message: `after must be a record seq (a whole number) and limit a whole number from 1 to ${MAX_ACCESS_LOG_LIMIT}.` });
      return;
    }
    await rights.audit(caller.by, caller.pseudonym, { event: 'access', details: { kind: 'access_log' } });
    const pageSize = limit ?? DEFAULT_ACCESS_LOG_LIMIT;
    const entries = await rights.accessLog(caller.identity.id, { ...(after === undefined ? {} : { after }), limit: pageSize + 1 });
    const page = entries.slice(0, pageSize);
    noStore(res).json({ entries: page, next: entries.length > pageSize ? (page[page.length - 1]?.seq ?? null) : null });
  }));

  router.use(createRightsAdminRouter(engine, rights));
  return router;
}
