import { defineOptionKeys, recordedMeasures, rejectUnknownOptions, type AppliedMeasures } from '@privacy-kit/core';
import { expressError } from '../errors';

/** What `logRedaction: true` puts in the record: the app says so, nothing in the process showed it. */
export const STATED_LOG_REDACTION = "stated in the app's privacy-kit configuration";
/** The longest description of a measure, in characters. */
const MAX_DESCRIPTION = 200;

/**
 * What the app says about the security measures that depend on its own configuration (`privacy({ measures })`), for
 * the record of processing activities. Without it, the record states what the process shows: log redaction when a
 * log format was made with `redactPii()` of @privacy-kit/winston.
 */
export interface MeasuresOptions {
  /**
   * Whether the app's logs are redacted: `true` (the record says the app states it), a short description of how
   * (e.g. 'pino redact paths and @privacy-kit/redact'), or `false` to never claim it (e.g. when `redactPii()` is used
   * for something other than the logs). Default: detected from `redactPii()`.
   */
  readonly logRedaction?: boolean | string;
}

/** {@link MeasuresOptions} resolved: a description, `false` (never claim), or undefined (detect). */
export interface ResolvedMeasures {
  readonly logRedaction: string | false | undefined;
}

/** Every option of {@link MeasuresOptions}, checked against the interface when the package is built. */
const MEASURES_OPTION_KEYS = defineOptionKeys<MeasuresOptions>({ logRedaction: true });

/**
 * Validates `privacy({ measures })`.
 *
 * @param options - as given
 * @example
 * resolveMeasuresOptions({ logRedaction: true }).logRedaction; // "stated in the app's privacy-kit configuration"
 */
export function resolveMeasuresOptions(options: MeasuresOptions | undefined): ResolvedMeasures {
  const given = options ?? {};
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw expressError('PK_INVALID_OPTION', 'privacy({ measures }): expected an object such as { logRedaction: true }.');
  }
  rejectUnknownOptions(given, MEASURES_OPTION_KEYS, 'privacy({ measures })', expressError);
  const stated = given.logRedaction;
  const ok = stated === undefined || typeof stated === 'boolean' || (typeof stated === 'string' && stated.trim() !== '' && stated.length <= MAX_DESCRIPTION && !/[\r\n]/.test(stated));
  if (!ok) {
    throw expressError('PK_INVALID_OPTION', `privacy({ measures }): 'logRedaction' must be true, false, or a short description of how logs are redacted (one line, at most ${MAX_DESCRIPTION} characters), e.g. 'pino redact paths'.`);
  }
  return { logRedaction: stated === true ? STATED_LOG_REDACTION : stated === false ? false : stated?.trim() };
}

/**
 * The measures the record states: what the app said, else what the process recorded (see `recordMeasure`).
 *
 * @param stated - the kit's resolved `measures`, if there is a kit
 */
export function appliedMeasures(stated: ResolvedMeasures | undefined): AppliedMeasures {
  const recorded = recordedMeasures();
  const logRedaction = stated?.logRedaction === undefined ? recorded.logRedaction : stated.logRedaction;
  return typeof logRedaction === 'string' ? { logRedaction } : {};
}
