import { packageErrors } from './privacy-kit.error';

/**
 * Makes an error of @privacy-kit/core: `coreError('PK_INVALID_OPTION', "'x' must be ...")` has the message
 * "@privacy-kit/core: 'x' must be ...", with the package and the problem also kept apart.
 */
export const coreError = packageErrors('@privacy-kit/core').error;
