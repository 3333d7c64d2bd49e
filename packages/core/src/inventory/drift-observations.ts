import type { PrivacyKitError } from '../errors/privacy-kit.error';
import { coreError } from '../errors/core.error';

/** The version of the drift observations file format. */
export const DRIFT_OBSERVATIONS_VERSION = 1;

/** What was observed in one route's responses. */
export interface RouteObservation {
  /** Category keys found, sorted. */
  readonly categories: readonly string[];
  /** Responses inspected. */
  readonly samples: number;
  /** ISO 8601. */
  readonly firstSeen: string;
  /** ISO 8601. */
  readonly lastSeen: string;
}

/**
 * Observed personal data per route, keyed by route id (`METHOD path`, e.g. 'GET /debug'). This is what the
 * `drift` option of `privacy()` keeps in memory and writes to its `file`, and what `privacy-kit check --observed`
 * reads. It holds category keys and counts only, never a value seen in a response.
 */
export interface DriftObservations {
  readonly version: typeof DRIFT_OBSERVATIONS_VERSION;
  readonly updatedAt: string;
  readonly routes: Readonly<Record<string, RouteObservation>>;
}

function invalid(where: string, message: string): PrivacyKitError {
  return coreError(
    'PK_INVALID_OPTION',
    `${where}: ${message} Expected { "version": 1, "updatedAt": "...", "routes": { "GET /path": { "categories": [...], "samples": 1, "firstSeen": "...", "lastSeen": "..." } } }, as written by privacy({ drift: { file } }).`,
  );
}

/**
 * Checks parsed JSON and returns it as {@link DriftObservations}; throws a `PK_INVALID_OPTION` error naming the
 * first problem.
 *
 * @param value - the parsed file
 * @param where - names the source in messages, e.g. the file name
 * @example
 * const observed = parseDriftObservations(JSON.parse(readFileSync(file, 'utf8')), file);
 */
export function parseDriftObservations(value: unknown, where = 'drift observations'): DriftObservations {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(where, 'not a JSON object.');
  const v = value as Record<string, unknown>;
  if (v.version !== DRIFT_OBSERVATIONS_VERSION) throw invalid(where, `unsupported version ${JSON.stringify(v.version)}.`);
  if (typeof v.routes !== 'object' || v.routes === null || Array.isArray(v.routes)) throw invalid(where, "'routes' must be an object.");
  const routes: Record<string, RouteObservation> = {};
  for (const [id, raw] of Object.entries(v.routes as Record<string, unknown>)) {
    const r = raw as Partial<Record<keyof RouteObservation, unknown>> | null;
    if (
      typeof r !== 'object' || r === null ||
      !Array.isArray(r.categories) || r.categories.some((c) => typeof c !== 'string') ||
      typeof r.samples !== 'number' || !Number.isInteger(r.samples) || r.samples < 0 ||
      typeof r.firstSeen !== 'string' || typeof r.lastSeen !== 'string'
    ) {
      throw invalid(where, `route ${JSON.stringify(id)} is malformed.`);
    }
    routes[id] = { categories: [...new Set(r.categories as string[])].sort(), samples: r.samples, firstSeen: r.firstSeen, lastSeen: r.lastSeen };
  }
  return { version: DRIFT_OBSERVATIONS_VERSION, updatedAt: typeof v.updatedAt === 'string' ? v.updatedAt : '', routes };
}

/**
 * Merges observations (e.g. from several test processes): categories are united, samples added, the time span
 * widened.
 *
 * @example
 * mergeDriftObservations(fromFile, fromMemory);
 */
export function mergeDriftObservations(...sources: readonly DriftObservations[]): DriftObservations {
  const routes: Record<string, RouteObservation> = {};
  let updatedAt = '';
  for (const source of sources) {
    if (source.updatedAt > updatedAt) updatedAt = source.updatedAt;
    for (const [id, seen] of Object.entries(source.routes)) {
      const before = routes[id];
      routes[id] = before === undefined
        ? { ...seen, categories: [...seen.categories].sort() }
        : {
            categories: [...new Set([...before.categories, ...seen.categories])].sort(),
            samples: before.samples + seen.samples,
            firstSeen: seen.firstSeen < before.firstSeen ? seen.firstSeen : before.firstSeen,
            lastSeen: seen.lastSeen > before.lastSeen ? seen.lastSeen : before.lastSeen,
          };
    }
  }
  return { version: DRIFT_OBSERVATIONS_VERSION, updatedAt, routes };
}

/**
 * Whether an observed category is covered by a declared one: the same key, an ancestor (declaring
 * 'user.contact' covers an observed 'user.contact.email'), or a descendant (an observed 'user.contact' is what a
 * declared 'user.contact.email' looks like to a coarse detector).
 */
export function isCategoryCovered(observed: string, declared: readonly string[]): boolean {
  return declared.some((d) => d === observed || observed.startsWith(`${d}.`) || d.startsWith(`${observed}.`));
}

/**
 * The observed categories that no declared category covers (see {@link isCategoryCovered}), sorted.
 *
 * @example
 * undeclaredCategories(['user.contact.email', 'user.name'], ['user.name']); // ['user.contact.email']
 */
export function undeclaredCategories(observed: readonly string[], declared: readonly string[]): string[] {
  return [...new Set(observed.filter((c) => !isCategoryCovered(c, declared)))].sort();
}
