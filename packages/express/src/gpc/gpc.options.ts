import { defineOptionKeys, rejectUnknownOptions } from '@privacy-kit/core';
import { expressError } from '../errors';

/** Whether a GPC signal is recorded as consent events by default: no (the signal already applies per request). */
export const DEFAULT_GPC_RECORD = false;
/** Whether `/.well-known/gpc.json` is served by default: yes. */
export const DEFAULT_GPC_WELL_KNOWN = true;

/** Options of Global Privacy Control handling (`privacy({ gpc })`). */
export interface GpcOptions {
  /**
   * Also record the signal: when an identified person sends `Sec-GPC: 1` while a purpose that GPC covers (sale,
   * sharing, targeted advertising) is granted, a `withdrawn` consent event with method 'gpc' is appended, so the
   * opt-out holds on requests without the header too. Default false.
   */
  readonly record?: boolean;
  /** Serve `/.well-known/gpc.json` (`{ "gpc": true }`). Default true. */
  readonly wellKnown?: boolean;
  /** When the statement of support was made: 'YYYY-MM-DD' or an RFC 3339 date-time; served as `lastUpdate`. */
  readonly lastUpdate?: string;
}

/** {@link GpcOptions} with the defaults applied. */
export interface ResolvedGpcOptions {
  readonly record: boolean;
  readonly wellKnown: boolean;
  readonly lastUpdate: string | undefined;
}

/** Every option of {@link GpcOptions}, checked against the interface when the package is built. */
const GPC_OPTION_KEYS = defineOptionKeys<GpcOptions>({ record: true, wellKnown: true, lastUpdate: true });
const RFC3339 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * Validates the `gpc` options and applies the defaults.
 *
 * @param options - as passed to `privacy({ gpc })`
 * @example
 * resolveGpcOptions({ record: true, lastUpdate: '2026-05-01' }).record; // true
 */
export function resolveGpcOptions(options: GpcOptions | undefined): ResolvedGpcOptions {
  const given = options ?? {};
  if (typeof given !== 'object' || given === null) throw expressError('PK_INVALID_OPTION', "privacy({ gpc }): expected an object such as { record: true, lastUpdate: '2026-05-01' }.");
  rejectUnknownOptions(given, GPC_OPTION_KEYS, 'privacy({ gpc })', expressError);
  for (const key of ['record', 'wellKnown'] as const) {
    if (given[key] !== undefined && typeof given[key] !== 'boolean') throw expressError('PK_INVALID_OPTION', `privacy({ gpc }): '${key}' must be true or false.`);
  }
  const lastUpdate = given.lastUpdate;
  if (lastUpdate !== undefined && (typeof lastUpdate !== 'string' || !RFC3339.test(lastUpdate) || Number.isNaN(Date.parse(lastUpdate)))) {
    throw expressError('PK_INVALID_OPTION', `privacy({ gpc }): 'lastUpdate' must be an RFC 3339 date such as '2026-05-01' (or a date-time with offset); got ${JSON.stringify(lastUpdate)}.`);
  }
  return {
    record: given.record ?? DEFAULT_GPC_RECORD,
    wellKnown: given.wellKnown ?? DEFAULT_GPC_WELL_KNOWN,
    lastUpdate,
  };
}
