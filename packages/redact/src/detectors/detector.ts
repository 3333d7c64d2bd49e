import type { TextProfile } from '../text/text-profile';

/**
 * What a match is, when a detector finds more than one kind of thing (the key=value detector reports the kind
 * of its key: a password, an e-mail, a date of birth...).
 */
export interface MatchKind {
  /** Short name used in the replacement, e.g. 'password' in `[REDACTED:password]`. */
  readonly label: string;
  /** The fideslang data category key, e.g. 'user.authorization.credentials'. */
  readonly category: string;
  /** Credentials are always replaced by their label, never pseudonymised or masked. */
  readonly secret: boolean;
  /** False for kinds that are only reported by detection (`findPersonalData`), never redacted. */
  readonly redact: boolean;
}

/**
 * Called by a detector for each validated match `[start, end)` of the text it scans.
 * Returns true when the caller has seen enough (detection stops at the first match): the detector should stop.
 */
export type ReportMatch = (start: number, end: number, kind?: MatchKind) => boolean;

/**
 * A free-text detector. Built-in detectors scan with work bounded per character (no backtracking regular
 * expressions), validate candidates (checksums, parsers) and report the spans to replace.
 *
 * @example
 * const employeeId: Detector = defineDetector({
 *   name: 'employeeId', category: 'user.unique_id', pattern: /\bEMP-\d{6}\b/g,
 * });
 */
export interface Detector {
  /** Unique name, used in options (`detectors: { email: false }`). */
  readonly name: string;
  /** The fideslang data category of what it finds, e.g. 'user.contact.email'. */
  readonly category: string;
  /** Short name in the replacement, e.g. 'email' in `[REDACTED:email]`. */
  readonly label: string;
  /** Credentials: always replaced by their label, never pseudonymised or masked. */
  readonly secret: boolean;
  /** Texts shorter than this are not scanned. */
  readonly minLength: number;
  /** Texts with fewer ASCII digits than this are not scanned. */
  readonly minDigits: number;
  /** `HAS_*` profile flags of which the text must contain at least one (0: no condition). */
  readonly requires: number;
  /** Reports every match in `text`. Must do bounded work per character of `text`. */
  scan(text: string, report: ReportMatch, profile: TextProfile): void;
  /** The partial mask of a match (replacement 'mask'); without it, 'mask' falls back to the label. */
  mask?(value: string): string;
  /** The form of a match that is pseudonymised (replacement 'hash'), so that spellings of one value agree. */
  normalize?(value: string): string;
}

/** Keeps the last four letters or digits of a value and stars the others, keeping separators: `**** 1111`. */
export function maskKeepLastFour(value: string): string {
  let keep = 4;
  const out: string[] = new Array<string>(value.length);
  for (let i = value.length - 1; i >= 0; i--) {
    const ch = value[i]!;
    const c = value.charCodeAt(i);
    const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (alnum && keep > 0) {
      out[i] = ch;
      keep--;
    } else out[i] = alnum ? '*' : ch;
  }
  return out.join('');
}

/** Only the letters and digits of a value, upper-cased: '4111 1111-1111 1111' and '4111111111111111' agree. */
export function normalizeAlnum(value: string): string {
  return value.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
}
