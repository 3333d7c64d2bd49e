import { defineOptionKeys, parseRetention, rejectUnknownOptions, type FieldCipher, type Retention, type RightsRequestKind } from '@privacy-kit/core';
import { expressError } from '../errors';

/** How long the controller has to answer a data subject request by default: one month (Art. 12(3) GDPR). */
export const DEFAULT_RIGHTS_DUE_IN = '1m';

/** What `onManualStep` is told: no personal data, only where to look. */
export interface ManualStepNotice {
  readonly requestId: string;
  readonly kind: RightsRequestKind;
  readonly source: string;
  /** ISO 8601: when the request must be answered. */
  readonly dueAt: string;
}

/** Options of the data subject rights API (`privacy({ rights })`). */
export interface RightsOptions {
  /**
   * How soon requests are due, e.g. '14d'. Default {@link DEFAULT_RIGHTS_DUE_IN}; never later than one month after
   * receipt, which is what Art. 12(3) allows.
   */
  readonly dueIn?: string;
  /** Told when a request waits for a person (a manual source), e.g. to open a ticket. Errors are reported, not thrown. */
  readonly onManualStep?: (notice: ManualStepNotice) => void | Promise<void>;
  /** The clock used for receipt, due and overdue times. Default `() => new Date()`; tests pass their own. */
  readonly clock?: () => Date;
  /**
   * The app's field cipher (`createFieldCipher`), when it encrypts fields at rest with keys per data subject
   * (sealed under the subject's pseudonym, `kit.pseudonym(id)`): an erasure destroys the subject's data keys once its
   * erasers ran (crypto-shredding, audited), so every remaining copy stays unreadable; an export opens the sealed
   * values the sources return.
   */
  readonly fieldCipher?: FieldCipher;
}

/** {@link RightsOptions} with the defaults applied. */
export interface ResolvedRightsOptions {
  readonly dueIn: Retention;
  readonly onManualStep: ((notice: ManualStepNotice) => void | Promise<void>) | undefined;
  readonly clock: () => Date;
  readonly fieldCipher: FieldCipher | undefined;
}

/** Every option of {@link RightsOptions}, checked against the interface when the package is built. */
const RIGHTS_OPTION_KEYS = defineOptionKeys<RightsOptions>({ dueIn: true, onManualStep: true, clock: true, fieldCipher: true });

/**
 * Validates the `rights` options and applies the defaults.
 *
 * @param options - as passed to `privacy({ rights })`
 * @example
 * resolveRightsOptions({ dueIn: '14d' }).dueIn.amount; // 14
 */
export function resolveRightsOptions(options: RightsOptions | undefined): ResolvedRightsOptions {
  const given = options ?? {};
  if (typeof given !== 'object' || given === null) throw expressError('PK_INVALID_OPTION', "privacy({ rights }): expected an object such as { dueIn: '1m' }.");
  rejectUnknownOptions(given, RIGHTS_OPTION_KEYS, 'privacy({ rights })', expressError);
  if (given.onManualStep !== undefined && typeof given.onManualStep !== 'function') throw expressError('PK_INVALID_OPTION', "privacy({ rights }): 'onManualStep' must be a function.");
  if (given.clock !== undefined && typeof given.clock !== 'function') throw expressError('PK_INVALID_OPTION', "privacy({ rights }): 'clock' must be a function that returns a Date.");
  const cipher = given.fieldCipher as Partial<FieldCipher> | undefined;
  if (cipher !== undefined && (typeof cipher !== 'object' || cipher === null || typeof cipher.shred !== 'function' || typeof cipher.openValue !== 'function')) {
    throw expressError('PK_INVALID_OPTION', "privacy({ rights }): 'fieldCipher' must be the app's createFieldCipher({ keys, keyProvider }) from @privacy-kit/core.");
  }
  return {
    dueIn: parseRetention(given.dueIn ?? DEFAULT_RIGHTS_DUE_IN, 'privacy({ rights: { dueIn } })'),
    onManualStep: given.onManualStep,
    clock: given.clock ?? (() => new Date()),
    fieldCipher: given.fieldCipher,
  };
}
