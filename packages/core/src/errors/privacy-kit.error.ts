import type { PrivacyKitErrorCode } from './error-codes';

/** Marks privacy-kit errors across installed copies (checked by {@link isPrivacyKitError}). */
const PRIVACY_KIT_ERROR = Symbol.for('privacy-kit.error');

/**
 * The base error of privacy-kit. Messages start with the package name and say how to fix the problem;
 * they never contain a personal value.
 *
 * @example
 * throw new PrivacyKitError('PK_UNKNOWN_PURPOSE', "@privacy-kit/core: unknown purpose 'x'.");
 */
export class PrivacyKitError extends Error {
  /** The stable code; compare this, not the class. */
  readonly code: PrivacyKitErrorCode;
  /** Extra, non-personal facts about the problem (e.g. the list of problems found). */
  readonly details: readonly string[] | undefined;

  constructor(
    code: PrivacyKitErrorCode,
    message: string,
    options?: { readonly cause?: unknown; readonly details?: readonly string[] },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PrivacyKitError';
    this.code = code;
    this.details = options?.details;
    Object.defineProperty(this, PRIVACY_KIT_ERROR, { value: true });
  }

  /** A serialisable form with no stack and no cause (causes may carry driver messages). */
  toJSON(): { name: string; code: PrivacyKitErrorCode; message: string; details?: readonly string[] } {
    return this.details === undefined
      ? { name: this.name, code: this.code, message: this.message }
      : { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}

/**
 * Whether `value` is a privacy-kit error, optionally of one code; works across installed copies.
 *
 * @param value - anything caught
 * @param code - the code to match, if any
 * @example
 * if (isPrivacyKitError(err, 'PK_STORE_UNAVAILABLE')) res.status(503);
 */
export function isPrivacyKitError(value: unknown, code?: PrivacyKitErrorCode): value is PrivacyKitError {
  if (typeof value !== 'object' || value === null) return false;
  const marked = (value as Record<symbol, unknown>)[PRIVACY_KIT_ERROR] === true;
  return marked && (code === undefined || (value as { code?: unknown }).code === code);
}
