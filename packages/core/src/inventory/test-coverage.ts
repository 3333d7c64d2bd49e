import type { Inventory } from './inventory.model';

/** The part of an audit record that coverage reads. */
export interface AuditRouteHit {
  readonly event: string;
  readonly method: string | null;
  /** The route pattern, as the engine writes it. */
  readonly route: string | null;
  readonly decision: string;
}

/** How often the tests reached one annotated route. */
export interface CoveredRoute {
  readonly id: string;
  /** Accesses the engine allowed. */
  readonly allowed: number;
  /** Accesses the engine refused (no identity, role, consent). */
  readonly denied: number;
}

/** Which annotated routes a test run exercised. */
export interface CoverageReport {
  readonly total: number;
  readonly exercised: readonly CoveredRoute[];
  readonly missed: readonly string[];
  /** Exercised share of the annotated routes, 0–100, one decimal (100 when there are none). */
  readonly percent: number;
  /** Audited routes that are not annotated routes of the inventory (renamed routes, privacy-kit's own API). */
  readonly unmatched: readonly string[];
}

/**
 * Matches the audit records of a test run against the annotated routes of an inventory: a route counts as
 * exercised when the engine audited an access to it, allowed or denied (the privacy code ran either way).
 *
 * @param inventory - the app's inventory
 * @param hits - audit records (e.g. `store.readAudit()`), or just their event, method, route and decision
 * @example
 * const report = coverageOf(inventoryOf(app), await store.readAudit());
 * console.log(`${report.percent}% of annotated routes exercised`);
 */
export function coverageOf(inventory: Inventory, hits: Iterable<AuditRouteHit>): CoverageReport {
  const annotated = inventory.routes.filter((r) => r.annotated);
  const byKey = new Map<string, { id: string; allowed: number; denied: number }>();
  const counts = annotated.map((r) => ({ id: r.id, allowed: 0, denied: 0 }));
  annotated.forEach((r, i) => {
    for (const path of [r.path, ...r.aliases]) {
      const key = `${r.method} ${path}`;
      if (!byKey.has(key)) byKey.set(key, counts[i] as { id: string; allowed: number; denied: number });
    }
  });
  const unmatched = new Set<string>();
  for (const hit of hits) {
    if (hit.event !== 'access' && hit.event !== 'denied') continue;
    if (hit.route === null || hit.method === null) continue;
    const key = `${hit.method} ${hit.route}`;
    const found = byKey.get(key) ?? byKey.get(`ALL ${hit.route}`);
    if (found === undefined) unmatched.add(key);
    else if (hit.decision === 'denied' || hit.event === 'denied') found.denied++;
    else found.allowed++;
  }
  const exercised = counts.filter((c) => c.allowed + c.denied > 0);
  return {
    total: annotated.length,
    exercised,
    missed: counts.filter((c) => c.allowed + c.denied === 0).map((c) => c.id),
    percent: annotated.length === 0 ? 100 : Math.floor((exercised.length / annotated.length) * 1000) / 10,
    unmatched: [...unmatched].sort(),
  };
}
