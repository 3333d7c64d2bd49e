import { packageErrors } from '@privacy-kit/core';

/**
 * Makes an error of @privacy-kit/redact: `redactError('PK_INVALID_OPTION', "'maxDepth' must be ...")` has the
 * message "@privacy-kit/redact: 'maxDepth' must be ...", with the package and the problem also kept apart.
 */
export const redactError = packageErrors('@privacy-kit/redact').error;
