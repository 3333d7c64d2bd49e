export { privacy } from './privacy';
export { hasGpcSignal } from './gpc/gpc-signal';
export type { PrivacyKit } from './privacy-kit';
export { DEFAULT_ADMIN_ROLES, DEFAULT_APP_ID, DEFAULT_BASE_PATH, DEFAULT_STORE_TIMEOUT_MS, resolvePrivacyOptions } from './privacy.options';
export type { PrivacyOptions, ResolvedPrivacyOptions } from './privacy.options';
export { personalData, requiresConsent } from './routes/route-twins';
export { getRouteMarker } from './routes/route-marker';
export type { MarkedHandler, RouteMarker } from './routes/route-marker';
export { privacyInfo } from './context/request-context';
export type { PrivacyRequestInfo } from './context/request-context';
export { SUPPORTED_JWT_ALGORITHMS, createJwtVerifier } from './identity/jwt-identity';
export type { JwtAlgorithm, JwtOptions, JwtVerifier } from './identity/jwt-identity';
export type { AuthFailure, IdentifyFunction, IdentifyResult, Identity } from './identity/identity';
export { Delete, Get, Patch, Post, Put, mountController } from './controllers/route.decorators';
export type { ControllerMethod, HttpVerb } from './controllers/route.decorators';
export { discoverApp, discoverRoutes } from './discovery/walk-routes';
export type { AppDiscovery, DiscoverOptions, DiscoveredRoute, UnseenMount } from './discovery/walk-routes';
export { trackSubApps } from './discovery/sub-apps';
export { locateFunctions } from './discovery/source-location';
export { HANDLER_TARGET_KEY as HANDLER_TARGET } from './symbols';
export { inventoryOf } from './inventory/inventory-of';
export type { InventoryOfOptions } from './inventory/inventory-of';
export {
  DEFAULT_DRIFT_FLUSH_INTERVAL_MS,
  DEFAULT_DRIFT_MAX_BODY_BYTES,
  DEFAULT_DRIFT_SAMPLE_RATE,
  DEFAULT_DRIFT_WARMUP,
  resolveDriftOptions,
} from './drift/drift.options';
export type { DriftOptions, PersonalDataDetector, ResolvedDriftOptions } from './drift/drift.options';
export { DriftRecorder } from './drift/drift-recorder';
export { PrivacyEngine } from './engine/privacy-engine';
export { compileRoute, isRouteProblem } from './engine/route-compiler';
export type { CompiledRoute, RouteProblem } from './engine/route-compiler';
export { ConsentCache, DEFAULT_CONSENT_CACHE_SIZE, DEFAULT_CONSENT_CACHE_TTL_MS } from './engine/consent-cache';
export type { HttpErrorBody, HttpErrorCode } from './http/json-error';
export { DataSourceRegistry } from './sources/data-source.registry';
export type { RegisteredSource } from './sources/data-source.registry';
export type { DataSource, DataSources, PurgeScope } from './sources/data-source';
export { DEFAULT_RIGHTS_DUE_IN, resolveRightsOptions } from './rights/rights.options';
export type { ManualStepNotice, ResolvedRightsOptions, RightsOptions } from './rights/rights.options';
export { RightsService, UNFINISHED_STATUSES } from './rights/rights.service';
export type { ExportDocument, RequestListFilter, RequestOutcome, RightsActor } from './rights/rights.service';
export type { AdminRightsRequestView, PendingRequestData, RightsRequestView } from './rights/rights-request.view';
export type { AccessLogEntry } from './rights/access-log';
export type { BodyProblem } from './rights/rectification.validator';
export type { RightsErrorCode } from './rights/rights-http';
export { rightsDueDate } from './rights/due-date';
export { addCalendarMonths } from '@privacy-kit/core';
export { DEFAULT_ACCESS_LOG_LIMIT, MAX_ACCESS_LOG_LIMIT } from './rights/rights.router';
export { GPC_HEADER, gpcHeaderValues } from './gpc/gpc-signal';
export { DEFAULT_GPC_RECORD, DEFAULT_GPC_WELL_KNOWN, resolveGpcOptions } from './gpc/gpc.options';
export type { GpcOptions, ResolvedGpcOptions } from './gpc/gpc.options';
export { GPC_WELL_KNOWN_PATH, isGpcOptOutPurpose } from './gpc/gpc.middleware';
export { MIN_SWEEP_INTERVAL_MS, resolveRetentionOptions } from './retention/retention.options';
export type { ResolvedRetentionOptions, RetentionOptions } from './retention/retention.options';
export type { CategoryRetention, RetentionPolicy, SourceRetentionPlan } from './retention/retention-policy';
export type { SweepOptions, SweepProgress, SweepReport, SweepResult } from './retention/retention-sweeper';
export { findPrivacyKit } from './find-privacy-kit';
