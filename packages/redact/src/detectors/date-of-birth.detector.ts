import { HAS_LETTER } from '../text/text-profile';
import type { Detector, ReportMatch } from './detector';

/**
 * A telling word (English, French, German, Spanish, Italian, Dutch), up to four separators, then a date in one
 * of its common writings. The date is the last group; a date alone is not personal and is never matched.
 * The alternation is of fixed words and every quantifier is bounded, so a failed attempt reads a bounded span.
 */
const DATE_OF_BIRTH = new RegExp(
  '(?<![A-Za-z])(?:born(?: on)?|dob|d\\.o\\.b\\.?|birth ?date|date of birth|birthday|' +
    'n[ée]e? le|date de naissance|geboren(?: am| op)?|geb\\.|geburtsdatum|geburtstag|' +
    'fecha de nacimiento|nacid[oa](?: el)?|data di nascita|nat[oa](?: il)?|geboortedatum)' +
    '(?![A-Za-z])[ \\t:=,."\'\\u2013-]{0,4}' +
    '(\\d{4}-\\d{1,2}-\\d{1,2}|\\d{1,2}[./-]\\d{1,2}[./-](?:\\d{4}|\\d{2})|\\d{1,2}\\.? [A-Za-zäöüéèûôçñ]{3,10}\\.? \\d{4}|[A-Za-z]{3,9}\\.? \\d{1,2},? \\d{4})(?![\\d.]\\d)',
  'gi',
);

/**
 * Dates of birth after a telling word: `born 1984-03-12`, `dob: 12/03/1984`, `date of birth 12.03.1984`,
 * `née le 12/03/1984`, `geboren am 12.03.1984`, `fecha de nacimiento: 12/03/1984`, `nato il`, `geboortedatum`,
 * `born on March 12, 1984`. Only the date is replaced; dates without such a word (timestamps, "created
 * 2024-01-15") stay untouched.
 */
export const dateOfBirthDetector: Detector = {
  name: 'dateOfBirth',
  category: 'user.demographic.date_of_birth',
  label: 'dob',
  secret: false,
  minLength: 9,
  minDigits: 5,
  requires: HAS_LETTER,
  scan(text: string, report: ReportMatch): void {
    DATE_OF_BIRTH.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = DATE_OF_BIRTH.exec(text)) !== null) {
      const end = match.index + match[0].length;
      if (report(end - match[1]!.length, end)) return;
    }
  },
};
