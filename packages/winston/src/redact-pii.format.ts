import { defineOptionKeys, packageErrors, recordMeasure, rejectUnknownOptions } from '@privacy-kit/core';
import type { RedactOptions } from '@privacy-kit/redact';
import { FAILED, createRedactor } from '@privacy-kit/redact';
import type { Format, TransformableInfo } from 'logform';
import { format } from 'logform';

/** Options of {@link redactPii}: the options of `createRedactor` from @privacy-kit/redact. */
export type RedactPiiOptions = RedactOptions;

const LEVEL = Symbol.for('level');

const { error } = packageErrors('@privacy-kit/winston');

const REDACT_PII_OPTION_KEYS = defineOptionKeys<RedactPiiOptions>({
  paths: true, keys: true, classAware: true, text: true, detectors: true, replacement: true, hashKey: true,
  maxDepth: true, maxNodes: true, maxStringLength: true, maxTotalText: true,
});

/** A record with winston's keys kept, for when redaction failed: the level survives, nothing else does. */
function failedRecord(info: TransformableInfo): TransformableInfo {
  let level: unknown;
  let symbolLevel: unknown;
  try {
    level = info.level;
    symbolLevel = info[LEVEL];
  } catch {
    level = 'error';
  }
  const out: TransformableInfo = { level: typeof level === 'string' ? level : 'error', message: FAILED };
  out[LEVEL] = typeof symbolLevel === 'string' ? symbolLevel : out.level;
  return out;
}

/**
 * A logform format that keeps personal data out of winston logs. Place it in `format.combine(...)` after
 * `errors()`, `splat()`, `timestamp()` and the like, before the final formatter (`json()`, `printf()`,
 * `simple()`). It redacts the message, splat arguments, metadata (`defaultMeta`, `logger.child()`), error
 * messages and stacks, and keeps winston's `info` contract: `level` and the `Symbol.for('level')`,
 * `Symbol.for('message')` and `Symbol.for('splat')` keys are carried over (their values redacted), and the
 * caller's objects are never modified; records are copied where something changes.
 *
 * With no options it applies the full default set of @privacy-kit/redact: sensitive field names,
 * `@PersonalData` class fields and every free-text detector. Making the format records log redaction as a security
 * measure of the process (`recordMeasure` of @privacy-kit/core), so the app's record of processing activities
 * states it.
 *
 * @param options - paths, detectors, replacement and limits, as for `createRedactor`
 * @example
 * const logger = winston.createLogger({
 *   format: winston.format.combine(winston.format.errors({ stack: true }), winston.format.splat(), redactPii(), winston.format.json()),
 *   transports: [new winston.transports.Console()],
 * });
 * logger.info('signup %s', 'alice@example.com'); // {"level":"info","message":"signup [REDACTED:email]"}
 */
export function redactPii(options?: RedactPiiOptions): Format {
  // Its own name in the message; every other check is the redactor's.
  if (typeof options === 'object' && options !== null) rejectUnknownOptions(options, REDACT_PII_OPTION_KEYS, 'redactPii()', error);
  const redact = createRedactor(options);
  // A winston format exists to go into a logger: the record of processing activities may now say logs are redacted.
  recordMeasure('logRedaction', "privacy-kit's redactPii() winston format");
  const transform = function redactPiiTransform(info: TransformableInfo): TransformableInfo {
    const out = redact(info) as TransformableInfo;
    // The redactor answers { message: FAILED } when it could not redact a record: keep the level so that
    // transports still route it.
    if (typeof out !== 'object' || out === null || (out.message === FAILED && out[LEVEL] === undefined)) return failedRecord(info);
    return out;
  };
  return format(transform)();
}
