import { HAS_LETTER } from '../text/text-profile';
import type { Detector, ReportMatch } from './detector';

/**
 * Date candidates, found from their first digit: 1984-03-12, 12/03/1984, 12.03.84, 12-03-1984, "12. März 1984",
 * and the "12, 1984" tail of "March 12, 1984". Every quantifier is bounded, so a failed attempt reads at most
 * 20 characters, and the search skips to the next digit natively.
 */
const DATE = /(?<![\d.])(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{1,2}\.? [A-Za-zäöüéèûôçñ]{3,10}\.? \d{4}|\d{1,2},? \d{4})(?![\d.]\d|\d)/g;

/**
 * The telling words (English, French, German, Spanish, Italian, Dutch) and up to four separators right before a
 * date, read on at most {@link LOOK_BACK} characters; a month name may stand between them ("born on March 12,
 * 1984"). Anchored at the end of that slice.
 */
const TELLING_WORD = new RegExp(
  '(?:^|[^A-Za-z])(?:born(?: on)?|dob|d\\.o\\.b\\.?|birth ?date|date of birth|birthday|' +
    'n[ée]e? le|date de naissance|geboren(?: am| op)?|geb\\.|geburtsdatum|geburtstag|' +
    'fecha de nacimiento|nacid[oa](?: el)?|data di nascita|nat[oa](?: il)?|geboortedatum)' +
    '[ \\t:=,."\'\\u2013-]{0,4}(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\\.? )?$',
  'i',
);
/** A keyword prefilter: every telling word of {@link TELLING_WORD} holds one of these (most log text holds none). */
const KEYWORD = /born|dob|d\.o\.b|birth|naissance|n[ée]e? le|geboren|geb\.|geburt|nacimiento|nacid|nascita|nat[oa]|geboortedatum/i;
const LOOK_BACK = 40;
const MONTH_BEFORE = /(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.? $/i;

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
    if (!KEYWORD.test(text)) return;
    DATE.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = DATE.exec(text)) !== null) {
      let start = match.index;
      const before = text.slice(Math.max(0, start - LOOK_BACK), start);
      const word = TELLING_WORD.exec(before);
      if (word === null) continue;
      // "born on March 12, 1984": the month name belongs to the date.
      if (/^\d{1,2},? \d{4}$/.test(match[0])) {
        const month = MONTH_BEFORE.exec(word[0]);
        if (month === null) continue;
        start -= month[0].length;
      }
      if (report(start, match.index + match[0].length)) return;
    }
  },
};
