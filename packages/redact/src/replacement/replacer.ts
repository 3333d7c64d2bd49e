import type { Pseudonymizer } from '@privacy-kit/core';

/**
 * How a found value is replaced:
 * - 'label' (default): a typed label, `[REDACTED:email]`;
 * - 'hash': a keyed-hash pseudonym, `[REDACTED:email:psn_…]`: the same value always gives the same token, so
 *   records can be correlated without showing the value (needs `hashKey`);
 * - 'mask': a partial mask where one is meaningful (`**** **** **** 1111` for a card, `a***@example.com`),
 *   the label otherwise.
 * Credentials (passwords, tokens, JWTs, cookies) always get the label.
 */
export type ReplacementMode = 'label' | 'hash' | 'mask';

/** A value about to be replaced, as given to a {@link ReplacementFunction}. */
export interface RedactionMatch {
  /** The personal value. */
  readonly value: string;
  /** The short type name, e.g. 'email' ('' for a configured path). */
  readonly label: string;
  /** The fideslang data category, e.g. 'user.contact.email'. */
  readonly category: string;
  /** What found it: a detector name, 'path', 'key' or 'class'. */
  readonly source: string;
  /** Whether it is a credential. */
  readonly secret: boolean;
}

/** A replacement of your own; it must return a string that does not contain the value. */
export type ReplacementFunction = (match: RedactionMatch) => string;

/** A replacement mode or function. */
export type Replacement = ReplacementMode | ReplacementFunction;

/** `[REDACTED:email]`, or `[REDACTED]` for an empty label. */
export function formatLabel(label: string): string {
  return label === '' ? '[REDACTED]' : `[REDACTED:${label}]`;
}

const PSEUDONYM_CACHE_LIMIT = 1024;

/** The optional value helpers of a detector. */
export interface ValueHelper {
  mask?(value: string): string;
  normalize?(value: string): string;
}

/** Applies replacements; holds the pseudonymizer and a small cache of recent pseudonyms. */
export class Replacer {
  private readonly pseudonyms = new Map<string, string>();
  private readonly labels = new Map<string, string>();

  constructor(private readonly pseudonymize: Pseudonymizer | undefined) {}

  label(label: string): string {
    let formatted = this.labels.get(label);
    if (formatted === undefined) {
      formatted = formatLabel(label);
      if (this.labels.size < PSEUDONYM_CACHE_LIMIT) this.labels.set(label, formatted);
    }
    return formatted;
  }

  /**
   * The replacement of `value`.
   *
   * @param helper - the detector's partial mask and normal form for pseudonyms, when it has them
   */
  replace(value: string, replacement: Replacement, match: Omit<RedactionMatch, 'value'>, helper: ValueHelper | undefined): string {
    if (replacement === 'label') return this.label(match.label);
    if (typeof replacement === 'function') {
      const out = replacement({ value, label: match.label, category: match.category, source: match.source, secret: match.secret });
      return typeof out === 'string' ? out : this.label(match.label);
    }
    if (match.secret) return this.label(match.label);
    if (replacement === 'mask') return helper?.mask === undefined ? this.label(match.label) : helper.mask(value);
    if (this.pseudonymize === undefined) return this.label(match.label);
    const normal = helper?.normalize === undefined ? value : helper.normalize(value);
    let token = this.pseudonyms.get(normal);
    if (token === undefined) {
      token = this.pseudonymize(normal);
      if (this.pseudonyms.size >= PSEUDONYM_CACHE_LIMIT) this.pseudonyms.clear();
      this.pseudonyms.set(normal, token);
    }
    return match.label === '' ? `[REDACTED:${token}]` : `[REDACTED:${match.label}:${token}]`;
  }
}
