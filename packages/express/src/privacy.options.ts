import type { PrivacyStore } from '@privacy-kit/core';
import { createMonitor, defineOptionKeys, keyBytes, rejectUnknownOptions, resolveTerm, type Art33Controller, type PrivacyKitError } from '@privacy-kit/core';
import type { DenialHandler } from './http/denial';
import type { IdentifyFunction } from './identity/identity';
import type { JwtOptions } from './identity/jwt-identity';
import { expressError } from './errors';
import { DEFAULT_CONSENT_CACHE_SIZE, DEFAULT_CONSENT_CACHE_TTL_MS } from './engine/consent-cache';
import type { EngineOptions } from './engine/engine.interface';
import { resolveGpcOptions, type GpcOptions, type ResolvedGpcOptions } from './gpc/gpc.options';
import { resolveRetentionOptions, type ResolvedRetentionOptions, type RetentionOptions } from './retention/retention.options';
import type { DataSources } from './sources/data-source';
import { resolveDriftOptions, type DriftOptions, type ResolvedDriftOptions } from './drift/drift.options';
import { resolveRightsOptions, type ResolvedRightsOptions, type RightsOptions } from './rights/rights.options';
import { resolveMeasuresOptions, type MeasuresOptions, type ResolvedMeasures } from './measures/measures.options';
import { AuditMonitor, monitoredStore } from './monitoring/audit-monitor';
import { resolveMonitoringOptions, type PrivacyMonitoringOptions } from './monitoring/monitoring.options';
import type { ContactResolver } from './incidents/incident-service';

/** Where privacy-kit mounts its own routes by default. */
export const DEFAULT_BASE_PATH = '/privacy';
/** The app id written into audit records by default. */
export const DEFAULT_APP_ID = 'app';
/** Roles that may use the admin endpoints (inventory, rights requests) by default. */
export const DEFAULT_ADMIN_ROLES: readonly string[] = ['privacy-admin'];
/** How long a store call on the request path may take before the request is answered 503, by default, in ms. */
export const DEFAULT_STORE_TIMEOUT_MS = 3000;
/** The longest `storeTimeoutMs` a timer can wait for (2^31 - 1 ms). */
const MAX_TIMEOUT_MS = 2_147_483_647;

/** Options of {@link privacy}. */
export interface PrivacyOptions {
  /** Where consents, audit and rights requests are kept (e.g. `createSqliteStore(...)`). */
  readonly store: PrivacyStore;
  /** Keys the HMAC pseudonyms of actors and subjects: at least 32 bytes, secret and stable. */
  readonly pseudonymKey: string | Buffer;
  /** Verify `Authorization: Bearer` JWTs. Without `jwt` and `identify`, the caller is `req.user`. */
  readonly jwt?: JwtOptions;
  /**
   * Find the caller yourself, from whatever the app's authentication left on the request (a session, an API key,
   * passport's `req.user` in another shape); replaces `jwt`. Without `jwt` and `identify`, the caller is
   * `req.user` (its `id` or `sub`, and `roles` or `role`), as passport and most authentication middleware set it.
   */
  readonly identify?: IdentifyFunction;
  /** Names the app in audit records. Default {@link DEFAULT_APP_ID}. */
  readonly appId?: string;
  /** Where the consent API is served. Default {@link DEFAULT_BASE_PATH}. */
  readonly basePath?: string;
  /** Roles allowed to call the admin endpoints under `{basePath}/admin`. Default ['privacy-admin']. */
  readonly adminRoles?: readonly string[];
  /** How long a consent answer is reused in this process, in ms (0 disables). Default 5000. */
  readonly consentCacheTtlMs?: number;
  /** How many subjects' consents are cached. Default 10000. */
  readonly consentCacheSize?: number;
  /**
   * When the store fails, privacy-kit answers 503 and the handler does not run (fail closed). Setting this to
   * true lets handlers run without a consent decision or audit record. Do so only knowingly.
   */
  readonly failOpen?: boolean;
  /**
   * How long a store call on the request path (reading consents, writing an audit record, recording a consent
   * change) may take, in ms. A call still unsettled then counts as a failed store: the request gets 503 (or, for
   * a refusal, goes out without its record), and what the call does later is reported through `onError`.
   * Default {@link DEFAULT_STORE_TIMEOUT_MS}.
   */
  readonly storeTimeoutMs?: number;
  /** Told about errors the request cannot show (e.g. an outcome record that could not be written). */
  readonly onError?: (error: PrivacyKitError) => void;
  /**
   * Sends the refusals of annotated routes (401, 403, 400, and 500/503 when privacy-kit cannot decide) in the app's
   * own error shape, like express-rate-limit's `handler`: `(req, res, denial) => res.status(denial.status).json(...)`.
   * The audit record is the same whatever it sends; a hook that throws or sends nothing gets the default JSON body
   * and `onError` is told. privacy-kit's own API under `basePath` keeps its documented bodies. Default: JSON
   * `{ error, reason?, purpose? }`.
   */
  readonly onDenied?: DenialHandler;
  /**
   * The app's data sources by name (e.g. `users`, `orders`): the `@PersonalData` model of their records and the
   * functions that serve the data subject's rights and retention. Also `kit.registerSource(name, source)`.
   */
  readonly sources?: DataSources;
  /** The rights API: answering period (default one month), a hook for manual steps. */
  readonly rights?: RightsOptions;
  /** Global Privacy Control: record the signal as consent events, serve `/.well-known/gpc.json`. */
  readonly gpc?: GpcOptions;
  /**
   * Personal-data routes refuse plain HTTP (403 `tls_required`, audited) unless `req.secure` (behind a proxy that
   * ends TLS: `app.set('trust proxy', …)` so X-Forwarded-Proto counts), and send `Strict-Transport-Security` on their
   * responses. Default: on when `NODE_ENV=production`. `{ hstsMaxAgeSeconds }` sets HSTS's max-age (default one year).
   */
  readonly requireTls?: boolean | { readonly hstsMaxAgeSeconds?: number };
  /** Retention: periods per data category, scheduled sweeps. */
  readonly retention?: RetentionOptions;
  /**
   * Drift detection: sample response bodies of every route for personal data and record, per route, the
   * categories seen (`true` for the defaults). Shown in the inventory; `privacy-kit check` flags what a route
   * returns but does not declare. Off by default.
   */
  readonly drift?: boolean | DriftOptions;
  /**
   * Purposes the consent API takes besides those the app's routes require consent for: consent collected for use
   * outside routes, or required by routes the route walk cannot see (behind a function mounted with `app.use`).
   * The consent API answers 404 for any other purpose.
   */
  readonly consentPurposes?: readonly string[];
  /**
   * Security measures that depend on the app's configuration, for the record of processing activities, e.g.
   * `{ logRedaction: true }`. Default: detected (log redaction when `redactPii()` of @privacy-kit/winston made a
   * log format in the process).
   */
  readonly measures?: MeasuresOptions;
  /**
   * Watch the audit stream for unusual access (mass access, probing, spikes of exports, erasures and admin actions,
   * access outside declared hours, a first access to special categories, traffic above a learned baseline), off the
   * request path. Every alert is an audit record ('alert') and goes to `onAlert`, a `webhook` and a `logger`. `true`
   * for the defaults; off by default.
   */
  readonly monitoring?: boolean | PrivacyMonitoringOptions;
  /**
   * The incident register's API (`{basePath}/admin/incidents`, for the `adminRoles`). `contacts` resolves the
   * pseudonyms of the people to notify (Art. 34) through the app's own data, e.g.
   * `async (subjects) => users.filter((u) => subjects.includes(kit.pseudonym(u.id))).map((u) => ({ subject: kit.pseudonym(u.id), contact: u.email }))`;
   * each resolution is audited. Without it, the API lists pseudonyms only. `controller` (`{ name, contact?, dpo? }`)
   * is named in the Art. 33 drafts (its contact point, Art. 33(3)(b)).
   */
  readonly incidents?: { readonly contacts?: ContactResolver; readonly controller?: Art33Controller };
}

/** {@link PrivacyOptions} with every default applied: the engine's options and each feature's. */
export interface ResolvedPrivacyOptions extends EngineOptions {
  readonly sources: DataSources;
  readonly rights: ResolvedRightsOptions;
  readonly gpc: ResolvedGpcOptions;
  readonly retention: ResolvedRetentionOptions;
  readonly drift: ResolvedDriftOptions | undefined;
  readonly measures: ResolvedMeasures;
  /** The monitor of the audit stream, when `monitoring` is on (the store then hands it every committed record). */
  readonly monitor: AuditMonitor | undefined;
  /** The app's resolver of the people to notify, if given. */
  readonly contacts: ContactResolver | undefined;
  /** The controller named in Art. 33 drafts, if given. */
  readonly controller: Art33Controller | undefined;
}

const INCIDENT_OPTION_KEYS = defineOptionKeys<NonNullable<PrivacyOptions['incidents']>>({ contacts: true, controller: true });

/** Every option of {@link PrivacyOptions}, checked against the interface when the package is built. */
const PRIVACY_OPTION_KEYS = defineOptionKeys<PrivacyOptions>({
  store: true, pseudonymKey: true, jwt: true, identify: true, appId: true, basePath: true, adminRoles: true, consentCacheTtlMs: true,
  consentCacheSize: true, failOpen: true, storeTimeoutMs: true, onError: true, sources: true, rights: true, gpc: true, retention: true,
  drift: true, consentPurposes: true, onDenied: true, measures: true, requireTls: true, monitoring: true, incidents: true,
});

/** HSTS max-age when TLS is required: one year, as HSTS preload lists ask. */
export const DEFAULT_HSTS_MAX_AGE_SECONDS = 31_536_000;

function resolveRequireTls(value: PrivacyOptions['requireTls']): { readonly hstsMaxAgeSeconds: number } | undefined {
  const on = value ?? process.env.NODE_ENV === 'production';
  if (on === false) return undefined;
  if (on === true) return { hstsMaxAgeSeconds: DEFAULT_HSTS_MAX_AGE_SECONDS };
  if (typeof on !== 'object' || on === null) {
    throw expressError('PK_INVALID_OPTION', `privacy(): 'requireTls' must be true, false or { hstsMaxAgeSeconds }; got ${typeof on}.`);
  }
  const age = on.hstsMaxAgeSeconds ?? DEFAULT_HSTS_MAX_AGE_SECONDS;
  if (typeof age !== 'number' || !Number.isSafeInteger(age) || age < 0) {
    throw expressError('PK_INVALID_OPTION', `privacy(): 'requireTls.hstsMaxAgeSeconds' must be a whole number of seconds ≥ 0; got ${typeof age === 'number' ? String(age) : typeof age}.`);
  }
  return { hstsMaxAgeSeconds: age };
}

function defaultOnError(error: PrivacyKitError): void {
  // Messages of privacy-kit errors never carry personal data; the cause (a driver error) is left out on purpose.
  console.error(`[privacy-kit] ${error.code}: ${error.message}`);
}

/**
 * Validates the options of `privacy()` and applies the defaults. Pure apart from validation errors.
 *
 * @param options - as passed by the app
 */
export function resolvePrivacyOptions(options: PrivacyOptions): ResolvedPrivacyOptions {
  if (typeof options !== 'object' || options === null) throw expressError('PK_INVALID_OPTION', 'privacy(): expected options: { store, pseudonymKey, and optionally jwt or identify }.');
  // A secret given at the top level is meant for one of two places, which spelling alone cannot tell apart.
  const secret = Object.keys(options).find((key) => !PRIVACY_OPTION_KEYS.includes(key as keyof PrivacyOptions) && key.toLowerCase().includes('secret'));
  if (secret !== undefined) {
    throw expressError('PK_INVALID_OPTION', `privacy(): unknown option '${secret}'. Did you mean \`pseudonymKey\`, or \`jwt: { secret }\`? Known options: ${PRIVACY_OPTION_KEYS.join(', ')}.`);
  }
  rejectUnknownOptions(options, PRIVACY_OPTION_KEYS, 'privacy()', expressError);
  const store = options.store as Partial<PrivacyStore> | undefined;
  const methods = ['recordConsent', 'currentConsents', 'consentHistory', 'appendAudit', 'readAudit', 'verifyAudit', 'ping', 'close'] as const;
  if (store === undefined || methods.some((m) => typeof store[m] !== 'function')) {
    throw expressError('PK_INVALID_OPTION', "privacy(): 'store' is required and must be a privacy-kit store, e.g. store: createSqliteStore({ filename, auditKey }) from @privacy-kit/sqlite; privacy() of the privacy-kit package opens one by itself.");
  }
  if (typeof store.recordConsentChange !== 'function') {
    throw expressError('PK_INVALID_OPTION', "privacy(): 'store' has no recordConsentChange(events, auditEntry): it was written for an older privacy-kit. A consent change and its audit record must commit in one transaction; implement it (see ConsentStore in @privacy-kit/core) or upgrade the store package.");
  }
  if (options.jwt !== undefined && options.identify !== undefined) throw expressError('PK_INVALID_OPTION', "privacy(): give either 'jwt' or 'identify', not both.");
  if (options.identify !== undefined && typeof options.identify !== 'function') throw expressError('PK_INVALID_OPTION', "privacy(): 'identify' must be a function (req) => ({ id, roles }) | null.");
  if (options.onDenied !== undefined && typeof options.onDenied !== 'function') {
    throw expressError('PK_INVALID_OPTION', "privacy(): 'onDenied' must be a function (req, res, denial) that sends the refusal, e.g. (req, res, denial) => res.status(denial.status).json({ message: denial.error }).");
  }
  const basePath = options.basePath ?? DEFAULT_BASE_PATH;
  if (typeof basePath !== 'string' || !/^\/[A-Za-z0-9/_-]*$/.test(basePath) || basePath.endsWith('/')) {
    throw expressError('PK_INVALID_OPTION', `privacy(): 'basePath' must look like '/privacy' (leading slash, no trailing slash); got ${JSON.stringify(basePath)}.`);
  }
  const ttl = options.consentCacheTtlMs ?? DEFAULT_CONSENT_CACHE_TTL_MS;
  const size = options.consentCacheSize ?? DEFAULT_CONSENT_CACHE_SIZE;
  if (!Number.isInteger(ttl) || ttl < 0) throw expressError('PK_INVALID_OPTION', `privacy(): 'consentCacheTtlMs' must be a whole number of ms ≥ 0; got ${JSON.stringify(ttl)}.`);
  if (!Number.isInteger(size) || size < 1) throw expressError('PK_INVALID_OPTION', `privacy(): 'consentCacheSize' must be a whole number ≥ 1; got ${JSON.stringify(size)}.`);
  const adminRoles = options.adminRoles ?? DEFAULT_ADMIN_ROLES;
  const givenRoles: unknown = adminRoles;
  if (!Array.isArray(givenRoles) || givenRoles.length === 0 || givenRoles.some((r) => typeof r !== 'string' || r === '')) {
    throw expressError('PK_INVALID_OPTION', `privacy(): 'adminRoles' must be a non-empty array of role names, e.g. ['privacy-admin']; got ${JSON.stringify(adminRoles)}.`);
  }
  const storeTimeoutMs = options.storeTimeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
  if (!Number.isInteger(storeTimeoutMs) || storeTimeoutMs < 1 || storeTimeoutMs > MAX_TIMEOUT_MS) {
    throw expressError('PK_INVALID_OPTION', `privacy(): 'storeTimeoutMs' must be a whole number of ms from 1 to ${MAX_TIMEOUT_MS} (default ${DEFAULT_STORE_TIMEOUT_MS}); got ${JSON.stringify(storeTimeoutMs)}.`);
  }
  const appId = options.appId ?? DEFAULT_APP_ID;
  if (typeof appId !== 'string' || appId === '') throw expressError('PK_INVALID_OPTION', "privacy(): 'appId' must be a non-empty string.");
  const consentPurposes = options.consentPurposes ?? [];
  const givenPurposes: unknown = consentPurposes;
  if (!Array.isArray(givenPurposes) || givenPurposes.some((p) => typeof p !== 'string')) {
    throw expressError('PK_INVALID_OPTION', `privacy(): 'consentPurposes' must be an array of purpose keys, e.g. ['marketing.communications.email']; got ${JSON.stringify(consentPurposes)}.`);
  }
  for (const purpose of consentPurposes) resolveTerm('purpose', purpose, 'privacy({ consentPurposes })');
  const onError = options.onError ?? defaultOnError;
  const monitoring = resolveMonitoringOptions(options.monitoring);
  const monitor = monitoring === undefined
    ? undefined
    : new AuditMonitor(createMonitor(monitoring.rules), monitoring, (entry) => options.store.appendAudit(entry), appId, onError);
  const incidents: unknown = options.incidents ?? {};
  if (typeof incidents !== 'object' || incidents === null) throw expressError('PK_INVALID_OPTION', "privacy(): 'incidents' must be { contacts?: async (subjects) => [{ subject, contact }] }.");
  rejectUnknownOptions(incidents, INCIDENT_OPTION_KEYS, 'privacy({ incidents })', expressError);
  const contacts = (incidents as { contacts?: unknown }).contacts;
  if (contacts !== undefined && typeof contacts !== 'function') throw expressError('PK_INVALID_OPTION', "privacy({ incidents }): 'contacts' must be an async function (subjects) => [{ subject, contact }].");
  const controller = (incidents as { controller?: unknown }).controller;
  if (controller !== undefined && (typeof controller !== 'object' || controller === null || typeof (controller as { name?: unknown }).name !== 'string')) {
    throw expressError('PK_INVALID_OPTION', "privacy({ incidents }): 'controller' must be { name, contact?, dpo? }, the controller named in Art. 33 drafts.");
  }
  return {
    contacts: contacts as ContactResolver | undefined,
    controller: controller as Art33Controller | undefined,
    store: monitor === undefined ? options.store : monitoredStore(options.store, (record) => monitor.observe(record)),
    monitor,
    pseudonymKey: keyBytes(options.pseudonymKey, 'pseudonymKey'),
    jwt: options.jwt,
    identify: options.identify,
    appId,
    basePath,
    adminRoles: [...adminRoles],
    consentCacheTtlMs: ttl,
    consentCacheSize: size,
    failOpen: options.failOpen === true,
    storeTimeoutMs,
    onError,
    onDenied: options.onDenied,
    sources: options.sources ?? {},
    rights: resolveRightsOptions(options.rights),
    gpc: resolveGpcOptions(options.gpc),
    retention: resolveRetentionOptions(options.retention),
    drift: resolveDriftOptions(options.drift),
    measures: resolveMeasuresOptions(options.measures),
    consentPurposes: [...new Set(consentPurposes as string[])],
    requireTls: resolveRequireTls(options.requireTls),
  };
}
