import { closest, defineOptionKeys, isKnownTerm, listTerms, rejectUnknownOptions, type PrivacyKitError } from '@privacy-kit/core';
import { redactError } from '../redact.error';
import type { Detector, ReportMatch } from './detector';

/** A custom detector made of a regular expression and an optional validator. */
export interface DetectorDefinition {
  /** Unique name, e.g. 'employeeId'. */
  readonly name: string;
  /** The fideslang data category of what it finds, e.g. 'user.unique_id'. */
  readonly category: string;
  /** Short name in the replacement (default: the name). */
  readonly label?: string;
  /** Credentials: always replaced by the label, never pseudonymised or masked. */
  readonly secret?: boolean;
  /**
   * What to find. Keep it free of nested or adjacent unbounded quantifiers: the built-in detectors avoid
   * backtracking, a custom pattern is only as safe as it is written.
   */
  readonly pattern: RegExp;
  /** Rejects candidates that match the pattern but are not the real thing (checksums, ranges). */
  readonly validate?: (match: string) => boolean;
  /** The partial mask of a match, for the 'mask' replacement. */
  readonly mask?: (match: string) => string;
  /** The form that is pseudonymised by the 'hash' replacement. */
  readonly normalize?: (match: string) => string;
}

const DEFINITION_KEYS = defineOptionKeys<DetectorDefinition>({
  name: true, category: true, label: true, secret: true, pattern: true, validate: true, mask: true, normalize: true,
});

function invalid(message: string): PrivacyKitError {
  return redactError('PK_INVALID_OPTION', `defineDetector(): ${message}`);
}

/**
 * Checks that `category` is a known data category key, suggesting the closest one otherwise.
 *
 * @param category - e.g. 'user.contact.email'
 * @param where - what is being configured, for the message
 */
export function checkCategory(category: unknown, where: string): string {
  if (typeof category !== 'string' || !isKnownTerm('category', category)) {
    const suggestion = typeof category === 'string' ? closest(category, listTerms('category')) : undefined;
    throw redactError(
      'PK_UNKNOWN_CATEGORY',
      `${where}: unknown data category ${JSON.stringify(category)}.` +
        (suggestion === undefined ? '' : ` Did you mean '${suggestion}'?`) +
        ' Use a key of the vocabulary (e.g. \'user.contact.email\') or add yours with extendVocabulary().',
    );
  }
  return category;
}

/**
 * Makes a free-text detector from a regular expression, to add to or replace the built-in ones
 * (`createRedactor({ detectors: { employeeId: defineDetector(...) } })`).
 *
 * @param definition - name, category, pattern and optional validate/mask/normalize
 * @example
 * const employeeId = defineDetector({
 *   name: 'employeeId',
 *   category: 'user.unique_id',
 *   pattern: /\bEMP-\d{6}\b/,
 * });
 */
export function defineDetector(definition: DetectorDefinition): Detector {
  if (typeof definition !== 'object' || definition === null) throw invalid('expected { name, category, pattern }.');
  rejectUnknownOptions(definition, DEFINITION_KEYS, 'defineDetector()', redactError);
  const { name, pattern, validate } = definition;
  if (typeof name !== 'string' || !/^[A-Za-z][\w-]*$/.test(name)) throw invalid(`'name' must be a word such as 'employeeId'; got ${JSON.stringify(name)}.`);
  const category = checkCategory(definition.category, `defineDetector('${name}')`);
  if (!(pattern instanceof RegExp)) throw invalid(`'${name}': 'pattern' must be a RegExp, e.g. /\\bEMP-\\d{6}\\b/.`);
  if (validate !== undefined && typeof validate !== 'function') throw invalid(`'${name}': 'validate' must be a function (match) => boolean.`);
  const label = definition.label ?? name;
  const flags = pattern.flags.replace(/[gy]/g, '') + 'g';
  const regex = new RegExp(pattern.source, flags);
  const detector: Detector = {
    name,
    category,
    label,
    secret: definition.secret === true,
    minLength: 1,
    minDigits: 0,
    requires: 0,
    scan(text: string, report: ReportMatch): void {
      regex.lastIndex = 0;
      let match: RegExpExecArray | null;
      while ((match = regex.exec(text)) !== null) {
        const value = match[0];
        if (value.length === 0) {
          regex.lastIndex++;
          continue;
        }
        if (validate !== undefined && !validate(value)) continue;
        if (report(match.index, match.index + value.length)) return;
      }
    },
  };
  if (definition.mask !== undefined) detector.mask = definition.mask;
  if (definition.normalize !== undefined) detector.normalize = definition.normalize;
  return Object.freeze(detector);
}
