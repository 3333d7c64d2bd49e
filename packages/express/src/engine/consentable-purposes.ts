import type { LawfulBasis, ProcessingDeclaration } from '@privacy-kit/core';

/** Which purposes a person can give or withdraw consent for through the consent API, and which they cannot. */
export interface ConsentablePurposes {
  /** Purposes some route (or the `consentPurposes` option) declares as consent-based, sorted. */
  readonly consentable: readonly string[];
  /** Purposes that routes process only under another lawful basis, with that basis (the first route's). */
  readonly otherBasis: ReadonlyMap<string, LawfulBasis>;
}

/** What the consent API does with a purpose from its URL. */
export type PurposeVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly status: 404; readonly body: { readonly error: 'unknown_purpose'; readonly message: string; readonly consentable: readonly string[] } }
  | { readonly ok: false; readonly status: 409; readonly body: { readonly error: 'not_consent_based'; readonly basis: LawfulBasis; readonly message: string } };

/**
 * Indexes the consent-based purposes of an app: those of its routes' declarations and those the app names itself
 * (purposes collected outside routes).
 *
 * @param declarations - the compiled declarations of the app's routes
 * @param extra - the `consentPurposes` option of `privacy()`
 */
export function indexConsentablePurposes(declarations: readonly ProcessingDeclaration[], extra: readonly string[]): ConsentablePurposes {
  const consentable = new Set(extra);
  for (const d of declarations) for (const purpose of d.consentPurposes) consentable.add(purpose);
  const otherBasis = new Map<string, LawfulBasis>();
  for (const d of declarations) {
    if (d.basis === 'consent') continue;
    for (const purpose of d.purposes) if (!consentable.has(purpose) && !otherBasis.has(purpose)) otherBasis.set(purpose, d.basis);
  }
  return { consentable: [...consentable].sort(), otherBasis };
}

/**
 * Whether the consent API takes a purpose. Consent is given per declared purpose: a parent purpose (`marketing`)
 * never stands for its children, so it is refused with the children that can be consented to.
 *
 * @param index - from {@link indexConsentablePurposes}
 * @param purpose - from the request's URL (never echoed back)
 */
export function consentVerdict(index: ConsentablePurposes, purpose: string): PurposeVerdict {
  if (index.consentable.includes(purpose)) return { ok: true };
  const basis = index.otherBasis.get(purpose);
  if (basis !== undefined) {
    return {
      ok: false,
      status: 409,
      body: { error: 'not_consent_based', basis, message: `This purpose is processed under the lawful basis '${basis}', not consent; there is no consent to give or withdraw.` },
    };
  }
  const children = index.consentable.filter((c) => c.startsWith(`${purpose}.`));
  if (children.length > 0) {
    return {
      ok: false,
      status: 404,
      body: { error: 'unknown_purpose', message: 'Consent is given per purpose, never to a parent purpose for its children: consent to each of the purposes listed.', consentable: children },
    };
  }
  return {
    ok: false,
    status: 404,
    body: { error: 'unknown_purpose', message: 'No route of this app asks for consent to this purpose; the purposes that can be consented to are listed.', consentable: index.consentable },
  };
}
