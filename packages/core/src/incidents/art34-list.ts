import { coreError } from '../errors/core.error';
import type { Incident, IncidentAssessment, IncidentScope } from './incident-contracts';

/**
 * The categories (and their children) whose exposure the heuristic of {@link requiresSubjectNotice} treats as a
 * likely high risk to the people affected, besides every special category (Art. 9/10): money (fraud), government ids
 * (identity theft) and credentials (account takeover).
 */
export const HIGH_RISK_CATEGORIES: readonly string[] = ['user.financial', 'user.government_id', 'user.authorization'];

/** One person to notify under Art. 34, by pseudonym: what the breach reached of theirs. */
export interface Art34Subject {
  /** The keyed pseudonym, as the audit records it. */
  readonly subject: string;
  /** The data categories the counted records of this subject touched, sorted. */
  readonly categories: readonly string[];
}

function isHighRisk(category: string): boolean {
  return HIGH_RISK_CATEGORIES.some((prefix) => category === prefix || category.startsWith(`${prefix}.`));
}

/**
 * Whether the people affected are likely to need notice (Art. 34(1): a likely high risk to their rights and
 * freedoms). The assessment decides when it says (`highRisk`); otherwise a heuristic: true when the scope reached a
 * special category (Art. 9/10) or one of {@link HIGH_RISK_CATEGORIES}. It is a prompt for the controller's
 * judgement, not the judgement.
 *
 * @param scope - the incident's latest scope, or null when none was computed (then only the assessment can say yes)
 * @param assessment - the incident's assessment
 * @example
 * if (requiresSubjectNotice(incident.scope, incident.assessment)) prepareNotices(art34List(incident));
 */
export function requiresSubjectNotice(scope: IncidentScope | null, assessment?: IncidentAssessment): boolean {
  if (assessment?.highRisk !== undefined) return assessment.highRisk;
  if (scope === null) return false;
  return scope.special || scope.categories.some((c) => c.special || isHighRisk(c.category));
}

/**
 * The people to notify (Art. 34) as pseudonyms, each with the categories its records touched, from the incident's
 * latest scope, sorted by pseudonym. A scope without per-subject categories (computed before they existed) gives
 * each subject every category of the scope: an upper bound. Core never resolves a pseudonym: the admin API and the
 * CLI resolve them to real people through the app's own sources, and audit each resolution.
 *
 * @param incident - from `foldIncident`
 * @throws PrivacyKitError PK_INVALID_OPTION when the incident has no scope yet
 * @example
 * for (const { subject, categories } of art34List(incident)) await notify(await resolve(subject), categories);
 */
export function art34List(incident: Incident): Art34Subject[] {
  const scope = incident.scope;
  if (scope === null) {
    throw coreError('PK_INVALID_OPTION', `art34List(): incident ${incident.id} has no scope yet; compute it from the audit (computeScope) and append it as a 'scope' event first.`);
  }
  const all = scope.categories.map((c) => c.category).sort();
  return scope.subjectPseudonyms.map((subject, i) => {
    const indexes = scope.subjectCategories?.[i];
    const categories = indexes === undefined ? all : indexes.map((index) => scope.categories[index]?.category ?? '').filter((c) => c !== '').sort();
    return { subject, categories };
  });
}
