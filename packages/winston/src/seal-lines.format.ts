import { createLogSealer, packageErrors } from '@privacy-kit/core';
import type { Format, TransformableInfo } from 'logform';
import { format } from 'logform';

const MESSAGE = Symbol.for('message');
const { error } = packageErrors('@privacy-kit/winston');

/** Options of {@link sealLines}. */
export interface SealLinesOptions {
  /** The log key, at least 32 bytes: `deriveKey(process.env.PRIVACY_KIT_SECRET!, 'log-encryption')`. */
  readonly key: string | Buffer;
}

/**
 * A logform format that seals every final log line (AES-256-GCM, `pklog1.<keyId>.<payload>`), so a log file or a
 * shipped log is unreadable to whoever steals it; `privacy-kit logs open FILE` (or `openLogLine`) reads it back for
 * someone who holds the key. Place it LAST in `format.combine(...)`, after the formatter that makes the line
 * (`json()`, `printf()`), and after `redactPii()`: sealing is no substitute for keeping personal data out.
 *
 * @param options - the log key
 * @example
 * format.combine(redactPii(), format.json(), sealLines({ key: deriveKey(secret, 'log-encryption') }))
 */
export function sealLines(options: SealLinesOptions): Format {
  if (typeof options !== 'object' || options === null || options.key === undefined) {
    throw error('PK_INVALID_OPTION', "sealLines() needs { key }: e.g. deriveKey(process.env.PRIVACY_KIT_SECRET, 'log-encryption').");
  }
  // The key is checked now (not on the first log line) and its id computed once, not per line.
  const seal = createLogSealer(options.key);
  return format((info: TransformableInfo) => {
    const line = info[MESSAGE];
    if (typeof line !== 'string') {
      throw error('PK_CONFIG', 'sealLines() found no final line to seal: place it after the formatter that makes the line (format.json(), format.printf()).');
    }
    info[MESSAGE] = seal(line);
    return info;
  })();
}
