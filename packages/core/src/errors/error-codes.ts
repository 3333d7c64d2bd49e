/**
 * Every error code privacy-kit raises, in one place (like Fastify's `lib/errors.js`).
 * Check errors by `code`, never by `instanceof`: two installed copies of a package can coexist.
 */
export const ERROR_CODES = {
  PK_INVALID_OPTION: 'an option passed to a privacy-kit function is missing or has the wrong shape',
  PK_UNKNOWN_CATEGORY: 'a data category key is not in the vocabulary',
  PK_UNKNOWN_PURPOSE: 'a purpose (data use) key is not in the vocabulary',
  PK_UNKNOWN_BASIS: 'a lawful basis is not one of the six of GDPR Art. 6(1)',
  PK_UNKNOWN_SUBJECT_TYPE: 'a data subject type is not in the vocabulary',
  PK_SPECIAL_CATEGORY: 'a declaration processes special category data (Art. 9/10) without the condition that allows it, or names a condition that does not apply',
  PK_INVALID_DECORATOR: 'a decorator was applied where it cannot work',
  PK_INVALID_RETENTION: 'a retention period could not be parsed',
  PK_CONFIG: 'the privacy configuration of the app is inconsistent',
  PK_ROUTES_UNSEEN: 'the route walk cannot look into some mounts of the app (their declarations are learned at request time)',
  PK_STORE_UNAVAILABLE: 'a privacy store could not be reached or failed',
  PK_STORE_CLOSED: 'a privacy store was used after close()',
  PK_AUDIT_KEY: 'the audit key is missing or too short',
  PK_SECRET_MISSING: "no app secret was configured (PRIVACY_KIT_SECRET): refused in production, created in an owner-only file otherwise",
  PK_AUDIT_CHECKPOINT: 'a signed audit checkpoint could not be published (its file or hook failed)',
  PK_NOT_FOUND: 'something named by its id (a rights request, a source, a file) does not exist',
  PK_IO: 'a file could not be read or written',
  PK_DECRYPT: 'an encrypted value cannot be opened: it was changed, moved to another field or record, or sealed under another key; it is never passed through',
  PK_KEY_DESTROYED: "the data key that sealed a value is gone (the subject's keys were destroyed by an erasure): the value can never be opened again",
  PK_SOURCE_FAILED: "an app's data source function (export, erase, rectify or purge) threw or returned unusable data",
  PK_ALERT_DELIVERY: 'an alert of the access monitoring could not be delivered to a sink (webhook, callback, logger) or the monitor fell behind; the alert is in the audit log',
  PK_COPY_MAPPING: 'the mapping of a pseudonymized copy does not match the annotations or the database',
  PK_COPY: 'a pseudonymized copy cannot be made or resumed: the source, the target or the schema does not allow it (the message says which and how to fix it)',
} as const;

/** A privacy-kit error code. */
export type PrivacyKitErrorCode = keyof typeof ERROR_CODES;
