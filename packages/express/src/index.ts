// The one door of @privacy-kit/express: what apps and tools use. Everything else is internal.

// privacy() and its options
export { privacy } from './privacy';
export type { PrivacyKit } from './privacy-kit';
export { findPrivacyKit } from './find-privacy-kit';
export { DEFAULT_ADMIN_ROLES, DEFAULT_APP_ID, DEFAULT_BASE_PATH, DEFAULT_STORE_TIMEOUT_MS } from './privacy.options';
export type { PrivacyOptions } from './privacy.options';
export type { MeasuresOptions } from './measures/measures.options';
export { DEFAULT_CONSENT_CACHE_SIZE, DEFAULT_CONSENT_CACHE_TTL_MS } from './engine/consent-cache';

// Declaring what routes process: the twins, decorated controllers, and what a handler can read
export { personalData, requiresConsent } from './twins/route-twins';
export type { MarkedHandler } from './routes/route-marker';
export { Delete, Get, Patch, Post, Put, mountController } from './controllers/route.decorators';
export type { ControllerMethod, HttpVerb } from './controllers/route.decorators';
export { privacyInfo } from './context/request-context';
export { UNMATCHED_ROUTE } from './logging/request-log';
export type { RequestLogLine, RequestLogWriter } from './logging/request-log';
export type { PrivacyRequestInfo } from './context/request-context';
export type { RouteProblem } from './engine/route-compiler';

// Identity
export { SUPPORTED_JWT_ALGORITHMS } from './identity/jwt-identity';
export type { JwtAlgorithm, JwtOptions } from './identity/jwt-identity';
export type { AuthFailure, IdentifyFunction, Identity } from './identity/identity';

// HTTP answers
export type { HttpErrorBody, HttpErrorCode } from './http/json-error';
export type { Denial, DenialHandler } from './http/denial';

// Route discovery and the inventory (for tools)
export { discoverApp, discoverRoutes } from './discovery/walk-routes';
export type { AppDiscovery, DiscoverOptions, DiscoveredRoute, UnseenMount } from './discovery/walk-routes';
export { trackSubApps } from './discovery/sub-apps';
export { inventoryOf } from './inventory/inventory-of';
export type { InventoryOfOptions } from './inventory/inventory-of';

// Drift detection
export { DEFAULT_DRIFT_FLUSH_INTERVAL_MS, DEFAULT_DRIFT_MAX_BODY_BYTES, DEFAULT_DRIFT_SAMPLE_RATE, DEFAULT_DRIFT_WARMUP } from './drift/drift.options';
export type { DriftOptions, PersonalDataDetector } from './drift/drift.options';

// Data sources, data subject rights, retention
export type { DataSource, DataSources, PatchProblem, PurgeScope } from './sources/data-source';
export { DEFAULT_RIGHTS_DUE_IN } from './rights/rights.options';
export type { ManualStepNotice, RightsOptions } from './rights/rights.options';
export type { ExportDocument } from './rights/rights.service';
export type { AdminRightsRequestView, PendingRequestData, RightsAdminAction, RightsPlanChange, RightsRequestView } from './rights/rights-request.view';
export type { AccessLogEntry } from './rights/access-log';
export type { BodyProblem } from './rights/rectification.validator';
export { DEFAULT_ACCESS_LOG_LIMIT, MAX_ACCESS_LOG_LIMIT } from './rights/rights.router';
export { MIN_SWEEP_INTERVAL_MS } from './retention/retention.options';
export type { RetentionOptions } from './retention/retention.options';
export type { CategoryRetention, RetentionPolicy, SourceRetentionPlan } from './retention/retention-policy';
export type { SweepOptions, SweepProgress, SweepReport, SweepResult } from './retention/retention-sweeper';

// Global Privacy Control
export { hasGpcSignal } from './gpc/gpc-signal';
export { DEFAULT_GPC_RECORD, DEFAULT_GPC_WELL_KNOWN } from './gpc/gpc.options';
export type { GpcOptions } from './gpc/gpc.options';
export { GPC_WELL_KNOWN_PATH } from './gpc/gpc.middleware';

export { IncidentService, alertOfRecord, keepsIncidents } from './incidents/incident-service';
export type { ContactResolver, IncidentActor, IncidentRegisterStore } from './incidents/incident-service';
export { alertEntry } from './monitoring/audit-monitor';
export { DEFAULT_WEBHOOK_RETRIES, DEFAULT_WEBHOOK_TIMEOUT_MS } from './monitoring/monitoring.options';
export type { MonitoringLogger, MonitoringWebhook, PrivacyMonitoringOptions } from './monitoring/monitoring.options';
