import { coreError } from '../errors/core.error';
import { defineOptionKeys } from '../errors/option-keys';
import { closest } from '../vocabulary/suggest';
import { INVENTORY_RULES, type Inventory, type InventoryRoute, type InventoryRule } from './inventory.model';

/** A route that may break some (or all) rules, and why. */
export interface AllowRule {
  /** 'GET /health', '* /health', '/health' (any method), or a prefix such as 'GET /internal/*'. */
  readonly route: string;
  /** The rules it may break; absent means all. */
  readonly rules?: readonly InventoryRule[];
  /** Why; required, so the allow-list documents itself. */
  readonly reason: string;
}

/** Options of {@link checkInventory}. */
export interface CheckOptions {
  /** Routes without annotation are errors, not warnings. */
  readonly strict?: boolean;
  readonly allow?: readonly AllowRule[];
}

/** One thing `check` found. */
export interface CheckFinding {
  readonly rule: InventoryRule;
  readonly severity: 'error' | 'warning';
  /** The route id, or null for findings about the app as a whole. */
  readonly route: string | null;
  readonly message: string;
  /** Set when an allow-list entry excused it. */
  readonly allowedBecause?: string;
}

/** What {@link checkInventory} found. */
export interface CheckReport {
  /** No errors. */
  readonly ok: boolean;
  readonly errors: readonly CheckFinding[];
  readonly warnings: readonly CheckFinding[];
  /** Findings excused by the allow-list. */
  readonly allowed: readonly CheckFinding[];
  /** Allow-list entries that matched no route (probably stale). */
  readonly unusedAllow: readonly AllowRule[];
  readonly routes: number;
}

const RULE_SET = new Set<string>(INVENTORY_RULES);
const ALLOW_RULE_KEYS = defineOptionKeys<AllowRule>({ route: true, rules: true, reason: true });

/**
 * Validates an allow-list as written in a config file.
 *
 * @param value - the parsed `allow` array
 * @param where - names the source in messages, e.g. 'privacy-kit.config.json'
 */
export function parseAllowList(value: unknown, where: string): AllowRule[] {
  const fail = (message: string): never => {
    throw coreError('PK_INVALID_OPTION', `${where}: ${message} Example: "allow": [{ "route": "GET /health", "reason": "returns no personal data" }].`);
  };
  if (value === undefined) return [];
  if (!Array.isArray(value)) return fail("'allow' must be an array.");
  return value.map((entry: unknown, i) => {
    if (typeof entry !== 'object' || entry === null) return fail(`allow[${i}] must be an object.`);
    const e = entry as Record<string, unknown>;
    for (const key of Object.keys(e)) {
      if ((ALLOW_RULE_KEYS as readonly string[]).includes(key)) continue;
      const hint = closest(key, ALLOW_RULE_KEYS);
      fail(`allow[${i}] has an unknown key '${key}'.${hint === undefined ? '' : ` Did you mean '${hint}'?`} (known: ${ALLOW_RULE_KEYS.join(', ')}).`);
    }
    if (typeof e.route !== 'string' || !/^(?:(?:[A-Za-z]+|\*) )?\//.test(e.route.trim())) fail(`allow[${i}].route must look like 'GET /health' or '/health'; got ${JSON.stringify(e.route)}.`);
    if (typeof e.reason !== 'string' || e.reason.trim() === '') fail(`allow[${i}] (${String(e.route)}) needs a 'reason' saying why the route may break the rules.`);
    if (e.rules !== undefined && (!Array.isArray(e.rules) || e.rules.some((r) => typeof r !== 'string' || !RULE_SET.has(r)))) {
      fail(`allow[${i}].rules must list rules among ${INVENTORY_RULES.join(', ')}; got ${JSON.stringify(e.rules)}.`);
    }
    return { route: (e.route as string).trim(), reason: (e.reason as string).trim(), ...(e.rules === undefined ? {} : { rules: e.rules as InventoryRule[] }) };
  });
}

/**
 * Whether an allow-list pattern matches a route: 'GET /health', '* /health' or '/health' (any method); a
 * trailing '*' matches a prefix ('/internal/*' matches '/internal/jobs'). Aliases of the route match too.
 */
export function matchesRoutePattern(pattern: string, route: Pick<InventoryRoute, 'method' | 'path' | 'aliases'>): boolean {
  const space = pattern.indexOf(' ');
  const method = space === -1 ? '*' : pattern.slice(0, space).toUpperCase();
  const path = space === -1 ? pattern : pattern.slice(space + 1).trim();
  if (method !== '*' && method !== route.method) return false;
  return [route.path, ...route.aliases].some((p) => {
    if (path.endsWith('*')) {
      const prefix = path.slice(0, -1);
      return p.startsWith(prefix) || `${p}/` === prefix;
    }
    return p === path;
  });
}

/**
 * Checks an inventory against the rules: every annotated route resolves (lawful basis, a purpose to consent to,
 * known keys, an enforceable declaration), no route returns personal data it does not declare, and with
 * `strict` every route is annotated. Allow-list entries excuse a route (for some or all rules), with a reason.
 *
 * @param inventory - from `buildInventory` or `inventoryOf`
 * @param options - strict mode and the allow-list
 * @example
 * const report = checkInventory(inventory, { strict: true, allow: [{ route: 'GET /health', reason: 'no personal data' }] });
 * if (!report.ok) process.exitCode = 1;
 */
export function checkInventory(inventory: Inventory, options: CheckOptions = {}): CheckReport {
  const allow = options.allow ?? [];
  const used = new Set<AllowRule>();
  const errors: CheckFinding[] = [];
  const warnings: CheckFinding[] = [];
  const allowed: CheckFinding[] = [];

  const report = (route: InventoryRoute, rule: InventoryRule, message: string, severity: 'error' | 'warning'): void => {
    const excuse = allow.find((a) => (a.rules === undefined || a.rules.includes(rule)) && matchesRoutePattern(a.route, route));
    if (excuse !== undefined) {
      used.add(excuse);
      allowed.push({ rule, severity, route: route.id, message, allowedBecause: excuse.reason });
    } else (severity === 'error' ? errors : warnings).push({ rule, severity, route: route.id, message });
  };

  for (const route of inventory.routes) {
    for (const problem of route.problems) report(route, problem.rule, problem.message, 'error');
    if (!route.annotated) {
      report(
        route,
        'unannotated',
        `${route.id}: carries no privacy annotation. If it handles personal data, declare it with personalData({ categories, purpose, basis }); ` +
          "if it does not, allow-list it with a reason in privacy-kit.config.json.",
        options.strict === true ? 'error' : 'warning',
      );
    }
  }
  const order = (a: CheckFinding, b: CheckFinding): number => INVENTORY_RULES.indexOf(a.rule) - INVENTORY_RULES.indexOf(b.rule);
  return {
    ok: errors.length === 0,
    errors: errors.sort(order),
    warnings: warnings.sort(order),
    allowed,
    unusedAllow: allow.filter((a) => !used.has(a)),
    routes: inventory.routes.length,
  };
}
