import type { RequestHandler } from 'express';
import type { PrivacyStore } from '@privacy-kit/core';
import type { UnseenMount } from './discovery/walk-routes';
import type { DriftRecorder } from './drift/drift-recorder';
import type { RouteProblem } from './engine/route-compiler';
import type { RetentionPolicy } from './retention/retention-policy';
import type { SweepOptions, SweepReport } from './retention/retention-sweeper';
import type { RightsService } from './rights/rights.service';
import type { DataSource } from './sources/data-source';
import type { ResolvedMeasures } from './measures/measures.options';
import type { RequestLogWriter } from './logging/request-log';

/**
 * What `privacy()` returns: the middleware to `app.use()`, plus its checks, the rights and retention services and
 * what tools need (the store, the pseudonyms). Its own type module, so that the inventory can read a kit without
 * importing `privacy()`.
 */
export type PrivacyKit = RequestHandler & {
  /** The `appId` written into every audit record (the `appId` option). */
  readonly appId: string;
  /** The store passed to `privacy({ store })`; `kit.dispose()` does not close it. */
  readonly store: PrivacyStore;
  /**
   * The keyed pseudonym of an app identifier (a JWT `sub`, an `identify()` id), as the audit, the consent store and
   * the rights requests hold it.
   *
   * @param id - the app's own identifier of a person
   * @example
   * await kit.store.currentConsents(kit.pseudonym('user-1'));
   */
  pseudonym(id: string): string;
  /** The problems of every annotated route of `app` (default: the app this kit is mounted on). */
  checkRoutes(app?: unknown): RouteProblem[];
  /**
   * Throws a `PK_CONFIG` error listing every misdeclared route; runs by itself before `app.listen()`, and reports
   * the mounts the route walk cannot look into (see `unseenMounts`) through `onError` as a `PK_ROUTES_UNSEEN` warning.
   */
  assertRoutes(app?: unknown): void;
  /**
   * The mounts of `app` (default: the app this kit is mounted on) the route walk cannot look into: a function
   * mounted on a path (e.g. a wrapper around a router), a sub-app mounted while sub-apps were not tracked. Routes
   * behind them are enforced when a request reaches them, but are not checked before start.
   */
  unseenMounts(app?: unknown): UnseenMount[];
  /** Stops listening to the store for consent changes and stops scheduled sweeps. Does not close the store. */
  dispose(): void;
  /** Adds a data source after `privacy()` was created; same rules as the `sources` option (throws on a bad one). */
  registerSource(name: string, source: DataSource): void;
  /** Data subject requests: export, erasure, rectification, manual steps, resumption (what the rights API uses). */
  readonly rights: RightsService;
  /** Asks each source to purge what is past its retention period; every purge is audited. */
  sweep(options?: SweepOptions): Promise<SweepReport>;
  /** Each data category's retention and each source's purge plan (for the inventory). */
  retentionPolicy(now?: Date): RetentionPolicy;
  /** Drift detection (the `drift` option): what each route's responses were seen to contain; undefined when off. */
  readonly drift: DriftRecorder | undefined;
  /**
   * A request-logging middleware: one line per request when its response ends (method, route, status, duration,
   * request id), naming the route by its pattern (`/users/:id`), never by its raw path, so the ids and query
   * strings in URLs stay out of the logs. Mount it before the routes; a writer that throws is reported through
   * `onError` and never affects the request.
   *
   * @param write - receives each line
   * @example
   * app.use(kit.logRequests((line) => logger.info('request', line)));
   */
  logRequests(write: RequestLogWriter): RequestHandler;
  /** What the app said about its security measures (the `measures` option; undefined entries are detected). */
  readonly measures: ResolvedMeasures;
  /**
   * The monitoring of the audit stream (the `monitoring` option), or undefined when off. `flush()` resolves once
   * every committed record was seen by the rules and every alert delivered or given up on (tests, shutdown).
   */
  readonly monitoring: { flush(): Promise<void> } | undefined;
};
