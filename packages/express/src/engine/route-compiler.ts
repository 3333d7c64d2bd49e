import type { Request } from 'express';
import { getPersonalFields, isPrivacyKitError, resolveProcessing, type ProcessingDeclaration } from '@privacy-kit/core';
import type { DiscoveredRoute } from '../discovery/walk-routes';
import type { RouteMarker } from '../routes/route-marker';

/** A route's merged declaration, ready to enforce. */
export interface CompiledRoute {
  readonly method: string;
  /** The route pattern written to the audit, never the raw URL. */
  readonly pattern: string;
  readonly declaration: ProcessingDeclaration;
}

/** A route whose declaration cannot be enforced, with the reasons. */
export interface RouteProblem {
  readonly method: string;
  readonly pattern: string;
  readonly problems: readonly string[];
}

const PATH_PARAMETER = /(^|\/)[:*]/;

/**
 * Merges every declaration on a route and checks it as a whole: a consistent basis and purpose, and for a
 * route whose path names someone (has parameters), an explicit subject.
 *
 * @returns the compiled route, or the problems found
 */
export function compileRoute(method: string, pattern: string, markers: readonly RouteMarker[]): CompiledRoute | RouteProblem {
  const where = `${method} ${pattern}`;
  const parts = markers.flatMap((m) => m.parts);
  const problems: string[] = [];
  let declaration: ProcessingDeclaration | undefined;
  try {
    declaration = resolveProcessing(parts, where, getPersonalFields);
  } catch (error) {
    problems.push(isPrivacyKitError(error) ? error.message : String(error));
  }
  if (PATH_PARAMETER.test(pattern) && parts.every((p) => p.subject === undefined)) {
    problems.push(
      `@privacy-kit/express: ${where}: the path names someone (it has parameters) but the route declares no data subject. ` +
        "Add subject: req => req.params.<name> to personalData(), or subject: 'self' if the data is the caller's own.",
    );
  }
  if (declaration === undefined || problems.length > 0) return { method, pattern, problems };
  return { method, pattern, declaration };
}

/** Whether a compile result is a problem. */
export function isRouteProblem(value: CompiledRoute | RouteProblem): value is RouteProblem {
  return 'problems' in value;
}

/** Compiles every annotated route of a discovered app. */
export function compileDiscovered(routes: readonly DiscoveredRoute[]): (CompiledRoute | RouteProblem)[] {
  return routes.filter((r) => r.markers.length > 0).map((r) => compileRoute(r.method, r.path, r.markers));
}

/**
 * A best-effort pattern for a route the app walk did not see (in a router behind a wrapper function, added after
 * start); never the raw URL, so a mount prefix that may hold values shows as '(mounted)'.
 */
export function fallbackPattern(req: Request): string {
  const routePath = (req.route as { path?: unknown } | undefined)?.path;
  const own = typeof routePath === 'string' ? routePath : '(middleware)';
  return req.baseUrl === '' ? own : `(mounted)${own}`;
}

/** The pattern of a twin mounted with `use()`: never a route's (`req.route` may be left over from an earlier route). */
export function guardPattern(req: Request): string {
  return req.baseUrl === '' ? '(middleware)' : '(mounted)(middleware)';
}

/**
 * The compiled route as the engine enforces and audits it: its purposes include the purposes it requires consent
 * for (a `personalData({ purpose })` with a `requiresConsent(other)` lists both), so that the audit names every
 * purpose that was checked.
 */
export function enforceableRoute(compiled: CompiledRoute | RouteProblem): CompiledRoute | RouteProblem {
  if (isRouteProblem(compiled)) return compiled;
  const { declaration } = compiled;
  const missing = declaration.consentPurposes.filter((p) => !declaration.purposes.includes(p));
  if (missing.length === 0) return compiled;
  return { ...compiled, declaration: { ...declaration, purposes: [...declaration.purposes, ...missing] } };
}
