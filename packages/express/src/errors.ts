import { packageErrors, type PackageErrors } from '@privacy-kit/core';

/**
 * Makes an error of @privacy-kit/express: the message gets the package prefix, kept apart as `package` (the problem
 * alone is `problem`). Every error site of the package uses it; none writes the prefix itself.
 *
 * @param code - what happened (PK_INVALID_OPTION, PK_CONFIG, PK_IO, PK_NOT_FOUND, ...)
 * @param problem - what is wrong and how to fix it, without the package prefix
 * @example
 * throw expressError('PK_INVALID_OPTION', "privacy(): 'appId' must be a non-empty string.");
 */
export const expressError: PackageErrors['error'] = packageErrors('@privacy-kit/express').error;
