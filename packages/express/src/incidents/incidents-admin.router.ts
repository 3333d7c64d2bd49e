import express, { type Request, type Response, type Router } from 'express';
import { isPrivacyKitError, type Art33Controller, type IncidentEventKind } from '@privacy-kit/core';
import type { Engine } from '../engine/engine.interface';
import { sendJsonError } from '../http/json-error';
import { handleAsync, identifyAdmin, jsonBody, type RightsCaller } from '../rights/rights-http';
import { IncidentService, WRITABLE_KINDS, keepsIncidents, type ContactResolver, type IncidentActor } from './incident-service';

const OPEN_EXAMPLE = '{"title": "Support account read many profiles", "knownAt": "2026-12-05T09:30:00Z", "alertId": "alert-…"}';
const EVENT_EXAMPLE = '{"kind": "assessment", "data": {"consequences": "…", "measures": "…"}}';
const SCOPE_EXAMPLE = '{"actor": "psn_…", "from": "2026-12-05T08:00:00Z", "to": "2026-12-05T10:00:00Z"}';

function actorOf(admin: RightsCaller): IncidentActor {
  return { actor: admin.by.actor, requestId: admin.by.requestId, method: admin.by.method, route: admin.by.route };
}

function stringField(body: Record<string, unknown>, name: string, required: boolean, problems: string[]): string | undefined {
  const value = body[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push(`'${name}' must be a non-empty string`);
    return undefined;
  }
  return value;
}

function objectBody(req: Request, res: Response, example: string): Record<string, unknown> | undefined {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    sendJsonError(res, 400, { error: 'invalid_body', message: `the body must be a JSON object such as ${example}` });
    return undefined;
  }
  return body as Record<string, unknown>;
}

/**
 * The incident register under the base path, for the `adminRoles` (every call audited):
 * `GET /admin/incidents` (with each 72-hour clock), `POST /admin/incidents` (`{ title, knownAt?, description?,
 * alertId? }`), `GET /admin/incidents/:id`, `POST /admin/incidents/:id/events` (`{ kind, data }`: note, assessment,
 * status, authority-notified, subjects-notified), `POST /admin/incidents/:id/scope` (`{ actor?, route?, from?, to? }`,
 * default the alert's), `GET /admin/incidents/:id/draft` (Art. 33, `?format=md` or JSON) and
 * `POST /admin/incidents/:id/notify-list` (Art. 34: the subjects, resolved through `incidents.contacts` when given).
 *
 * @param engine - identity, audit, the store
 * @param contacts - the app's resolver of pseudonyms to the people to notify, if any
 * @param controller - the controller named in the drafts, if given
 */
export function createIncidentsAdminRouter(engine: Engine, contacts: ContactResolver | undefined, controller?: Art33Controller): Router {
  const router = express.Router();
  const base = `${engine.options.basePath}/admin/incidents`;
  const store = engine.options.store;
  const service = keepsIncidents(store) ? new IncidentService(store, engine.options.appId) : undefined;

  /** The admin, once identified and the store keeps a register; undefined after answering. */
  async function admin(req: Request, res: Response, pattern: string): Promise<{ admin: RightsCaller; service: IncidentService } | undefined> {
    const caller = await identifyAdmin(engine, req, res, pattern);
    if (caller === undefined) return undefined;
    if (service === undefined) {
      sendJsonError(res, 501, { error: 'incidents_unsupported', message: 'the store keeps no incident register: use the SQLite or PostgreSQL store of this version.' });
      return undefined;
    }
    return { admin: caller, service };
  }

  /** Runs a register call, answering 400 / 404 for what the caller gave wrong. */
  async function run(res: Response, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (error) {
      if (isPrivacyKitError(error) && error.code === 'PK_NOT_FOUND') return void sendJsonError(res, 404, { error: 'incident_not_found', message: error.problem });
      if (isPrivacyKitError(error) && error.code === 'PK_INVALID_OPTION') return void sendJsonError(res, 400, { error: 'invalid_body', message: error.problem });
      throw error;
    }
  }

  router.get(base, handleAsync(engine, 'the incident register', async (req, res) => {
    const ok = await admin(req, res, base);
    if (ok === undefined) return;
    const list = await ok.service.list();
    res.set('Cache-Control', 'no-store').json({
      incidents: list.map(({ incident, clock }) => ({ ...incident, events: undefined, eventCount: incident.events.length, clock })),
      overdue: list.filter((i) => i.clock.overdue).length,
    });
  }));

  router.post(base, jsonBody(OPEN_EXAMPLE), handleAsync(engine, 'the incident register', async (req, res) => {
    const ok = await admin(req, res, base);
    if (ok === undefined) return;
    const body = objectBody(req, res, OPEN_EXAMPLE);
    if (body === undefined) return;
    const problems: string[] = [];
    const title = stringField(body, 'title', true, problems);
    const knownAt = stringField(body, 'knownAt', false, problems);
    const description = stringField(body, 'description', false, problems);
    const alertId = stringField(body, 'alertId', false, problems);
    for (const key of Object.keys(body)) if (!['title', 'knownAt', 'description', 'alertId'].includes(key)) problems.push(`${/^[A-Za-z_]{1,40}$/.test(key) ? `'${key}'` : 'a property'} is not allowed`);
    if (problems.length > 0) return void sendJsonError(res, 400, { error: 'invalid_body', message: `${problems.join('; ')}. Example: ${OPEN_EXAMPLE}` });
    await run(res, async () => {
      const incident = await ok.service.open(actorOf(ok.admin), { title: title as string, ...(knownAt === undefined ? {} : { knownAt }), ...(description === undefined ? {} : { description }), ...(alertId === undefined ? {} : { alertId }) });
      res.status(201).set('Cache-Control', 'no-store').json({ incident });
    });
  }));

  router.get(`${base}/:id`, handleAsync(engine, 'the incident register', async (req, res) => {
    const ok = await admin(req, res, `${base}/:id`);
    if (ok === undefined) return;
    await run(res, async () => {
      const incident = await ok.service.get(String(req.params.id));
      if (incident === undefined) return void sendJsonError(res, 404, { error: 'incident_not_found' });
      res.set('Cache-Control', 'no-store').json({ incident });
    });
  }));

  router.post(`${base}/:id/events`, jsonBody(EVENT_EXAMPLE), handleAsync(engine, 'the incident register', async (req, res) => {
    const ok = await admin(req, res, `${base}/:id/events`);
    if (ok === undefined) return;
    const body = objectBody(req, res, EVENT_EXAMPLE);
    if (body === undefined) return;
    const kind = body.kind;
    const data = body.data ?? {};
    if (typeof kind !== 'string' || !(WRITABLE_KINDS as readonly string[]).includes(kind) || typeof data !== 'object' || data === null || Array.isArray(data)) {
      return void sendJsonError(res, 400, { error: 'invalid_body', message: `'kind' must be one of ${WRITABLE_KINDS.join(', ')} and 'data' an object. Example: ${EVENT_EXAMPLE}` });
    }
    await run(res, async () => {
      const incident = await ok.service.record(actorOf(ok.admin), String(req.params.id), kind as IncidentEventKind, data as Record<string, unknown>);
      res.status(201).set('Cache-Control', 'no-store').json({ incident });
    });
  }));

  router.post(`${base}/:id/scope`, jsonBody(SCOPE_EXAMPLE), handleAsync(engine, 'the incident register', async (req, res) => {
    const ok = await admin(req, res, `${base}/:id/scope`);
    if (ok === undefined) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const problems: string[] = [];
    const filter: Record<string, string> = {};
    for (const name of ['actor', 'route', 'from', 'to'] as const) {
      const value = stringField(body, name, false, problems);
      if (value !== undefined) filter[name] = value;
    }
    if (problems.length > 0) return void sendJsonError(res, 400, { error: 'invalid_body', message: `${problems.join('; ')}. Example: ${SCOPE_EXAMPLE}` });
    await run(res, async () => {
      const scope = await ok.service.scope(actorOf(ok.admin), String(req.params.id), Object.keys(filter).length === 0 ? undefined : (filter));
      res.set('Cache-Control', 'no-store').json({ scope });
    });
  }));

  router.get(`${base}/:id/draft`, handleAsync(engine, 'the incident register', async (req, res) => {
    const ok = await admin(req, res, `${base}/:id/draft`);
    if (ok === undefined) return;
    await run(res, async () => {
      const draft = await ok.service.draft(String(req.params.id), controller);
      if (req.query.format === 'md' || (req.query.format === undefined && req.accepts(['json', 'text/markdown']) === 'text/markdown')) {
        res.set('Cache-Control', 'no-store').type('text/markdown; charset=utf-8').send(draft.markdown);
      } else res.set('Cache-Control', 'no-store').json({ draft: draft.json });
    });
  }));

  router.post(`${base}/:id/notify-list`, handleAsync(engine, 'the incident register', async (req, res) => {
    const ok = await admin(req, res, `${base}/:id/notify-list`);
    if (ok === undefined) return;
    await run(res, async () => {
      const list = await ok.service.notifyList(actorOf(ok.admin), String(req.params.id), contacts);
      res.set('Cache-Control', 'no-store').json(list);
    });
  }));

  return router;
}
