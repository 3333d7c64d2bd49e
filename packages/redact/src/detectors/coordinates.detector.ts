import { HAS_DOT } from '../text/text-profile';
import type { TextProfile } from '../text/text-profile';
import type { Detector, ReportMatch } from './detector';

/**
 * A decimal latitude, longitude pair: 1-2 and 1-3 integer digits, 4-8 decimals each. Versions (1.2.3), prices
 * (48.50) and ratios have fewer decimals. Every quantifier is bounded, so a failed attempt reads at most 26
 * characters.
 */
const PAIR = /(?<![\w.-])(-?\d{1,2}\.(\d{4,8})) ?, ?(-?\d{1,3}\.(\d{4,8}))(?!\w|\.\d)/g;

/** Degrees, minutes and optional seconds with a hemisphere: 48°51'24"N, 2°21′08″ E, 48° 51.4' N. */
const DMS = /\d{1,3}° ?\d{1,2}(?:[.,]\d{1,3})?['′’] ?(?:\d{1,2}(?:[.,]\d{1,3})?(?:"|″|”|'') ?)?[NSEWnsew](?![A-Za-z])|\d{1,3}[.,]\d{3,8}° ?[NSEWnsew](?![A-Za-z])/g;

/** Words before a 4-decimal pair that make it a position (English, German, French, Spanish, Italian, Dutch). */
const POSITION_WORDS =
  /(?:^|[^A-Za-z])(?:loc(?:ation)?|pos(?:ition)?|coord(?:inate)?s?|gps|geo(?:location)?|lat(?:lng|lon|itude)?|where|standort|koordinaten|coordonn[ée]es|localisation|ubicaci[oó]n|posici[oó]n|coordenadas|posizione|coordinate|locatie|positie)(?![A-Za-z])/i;
const CONTEXT = 32;

function scanPairs(text: string, report: ReportMatch): boolean {
  PAIR.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = PAIR.exec(text)) !== null) {
    const lat = Number(match[1]);
    const lon = Number(match[3]);
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180) continue;
    // GPS precision (5+ decimals on both) is a position anywhere; 4 decimals need a telling word before.
    const precise = match[2]!.length >= 5 && match[4]!.length >= 5;
    if (!precise && !POSITION_WORDS.test(text.slice(Math.max(0, match.index - CONTEXT), match.index))) continue;
    if (report(match.index, match.index + match[0].length)) return true;
  }
  return false;
}

function scanDms(text: string, report: ReportMatch): void {
  DMS.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = DMS.exec(text)) !== null) {
    if (report(match.index, match.index + match[0].length)) return;
  }
}

/**
 * Geographic coordinates (user.location.precise): decimal pairs with GPS precision (`48.85661, 2.35222`), or
 * with 4 decimals after a telling word (`position 48.8566, 2.3522`, Standort, posición...), and degrees-minutes-
 * seconds with a hemisphere (`48°51'24"N`). Keys such as `lat=` and `lon=` are the key=value detector's.
 * Versions, prices, ratios and lone decimals stay untouched.
 */
export const coordinatesDetector: Detector = {
  name: 'coordinates',
  category: 'user.location.precise',
  label: 'location',
  secret: false,
  minLength: 6,
  minDigits: 4,
  requires: 0,
  scan(text: string, report: ReportMatch, profile: TextProfile): void {
    if ((profile.flags & HAS_DOT) !== 0 && text.indexOf(',') !== -1 && scanPairs(text, report)) return;
    if (text.indexOf('°') !== -1) scanDms(text, report);
  },
};
