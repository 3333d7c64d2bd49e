import { packageErrors, type PackageErrors } from '@privacy-kit/core';

/**
 * Makes an error of the privacy-kit package: the message gets the `privacy-kit: ` prefix, kept apart as `package`.
 *
 * @param code - what happened (PK_SECRET_MISSING, PK_AUDIT_KEY, ...)
 * @param problem - what is wrong and how to fix it, without the package prefix
 * @example
 * throw umbrellaError('PK_SECRET_MISSING', 'privacy(): NODE_ENV is production and PRIVACY_KIT_SECRET is not set.');
 */
export const umbrellaError: PackageErrors['error'] = packageErrors('privacy-kit').error;
