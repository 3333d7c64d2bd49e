import { PRIVACY_KIT_ERROR_KEY as PRIVACY_KIT_ERROR } from '../metadata/metadata-keys';
import type { PrivacyKitErrorCode } from './error-codes';

/** The packages that raise privacy-kit errors (the umbrella package is 'privacy-kit'). */
export type PrivacyKitPackage =
  | '@privacy-kit/core'
  | '@privacy-kit/redact'
  | '@privacy-kit/express'
  | '@privacy-kit/winston'
  | '@privacy-kit/pino'
  | '@privacy-kit/sqlite'
  | '@privacy-kit/postgres'
  | '@privacy-kit/cli'
  | 'privacy-kit';

const PACKAGE_PREFIX = /^(@privacy-kit\/[a-z-]+|privacy-kit): /;

/** Options of a {@link PrivacyKitError}. */
export interface PrivacyKitErrorOptions {
  readonly cause?: unknown;
  /** Extra, non-personal facts (e.g. the list of problems found). */
  readonly details?: readonly string[];
  /** The package that raises it; the message is then the problem alone and gets the package as its prefix. */
  readonly package?: PrivacyKitPackage;
}

/**
 * The base error of privacy-kit. Messages start with the package name and say how to fix the problem;
 * they never contain a personal value. The package and the problem are also kept apart (`package`, `problem`),
 * so that a tool can show the problem in its own words without taking the message apart.
 *
 * @example
 * throw new PrivacyKitError('PK_UNKNOWN_PURPOSE', "unknown purpose 'x'.", { package: '@privacy-kit/core' });
 */
export class PrivacyKitError extends Error {
  /** The stable code; compare this, not the class. */
  readonly code: PrivacyKitErrorCode;
  /** The package that raised it, when known. */
  readonly package: PrivacyKitPackage | undefined;
  /** The message without the package prefix. */
  readonly problem: string;
  /** Extra, non-personal facts about the problem (e.g. the list of problems found). */
  readonly details: readonly string[] | undefined;

  constructor(code: PrivacyKitErrorCode, message: string, options?: PrivacyKitErrorOptions) {
    const prefixed = options?.package === undefined ? PACKAGE_PREFIX.exec(message) : null;
    super(options?.package === undefined ? message : `${options.package}: ${message}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PrivacyKitError';
    this.code = code;
    this.package = options?.package ?? (prefixed?.[1] as PrivacyKitPackage | undefined);
    this.problem = prefixed === null ? message : message.slice(prefixed[0].length);
    this.details = options?.details;
    Object.defineProperty(this, PRIVACY_KIT_ERROR, { value: true });
  }

  /** A serialisable form with no stack and no cause (causes may carry driver messages). */
  toJSON(): { name: string; code: PrivacyKitErrorCode; package?: PrivacyKitPackage; message: string; problem: string; details?: readonly string[] } {
    return {
      name: this.name,
      code: this.code,
      ...(this.package === undefined ? {} : { package: this.package }),
      message: this.message,
      problem: this.problem,
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

/** Makes the errors of one package: every message gets the package prefix, kept apart as `package`. */
export interface PackageErrors {
  readonly package: PrivacyKitPackage;
  /**
   * A new error of this package (a plain function: `const { error } = packageErrors(...)` is how it is meant to be
   * used).
   *
   * @param code - what happened
   * @param problem - what is wrong and how to fix it, without the package prefix
   */
  readonly error: (code: PrivacyKitErrorCode, problem: string, options?: Omit<PrivacyKitErrorOptions, 'package'>) => PrivacyKitError;
}

/**
 * The error factory of one package, instead of a local `invalid()` / `fail()` helper in each file.
 *
 * @param pkg - the package name, e.g. '@privacy-kit/sqlite'
 * @example
 * const { error } = packageErrors('@privacy-kit/sqlite');
 * throw error('PK_INVALID_OPTION', "'filename' must be a path or ':memory:'.");
 */
export function packageErrors(pkg: PrivacyKitPackage): PackageErrors {
  return {
    package: pkg,
    error: (code, problem, options) => new PrivacyKitError(code, problem, { ...options, package: pkg }),
  };
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
