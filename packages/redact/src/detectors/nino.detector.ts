import { isAlnum, isUpper } from '../text/char-class';
import type { TextProfile } from '../text/text-profile';
import { HAS_LETTER } from '../text/text-profile';
import type { Detector, ReportMatch } from './detector';
import { maskKeepLastFour, normalizeAlnum } from './detector';
import { GroupReader } from './numeric-groups';

const INVALID_FIRST = 'DFIQUV';
const INVALID_SECOND = 'DFIOQUV';
const INVALID_PREFIXES = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

/** Whether two letters can start a National Insurance number (HMRC allocation rules). */
export function isValidNinoPrefix(prefix: string): boolean {
  return (
    prefix.length === 2 &&
    !INVALID_FIRST.includes(prefix[0]!) &&
    !INVALID_SECOND.includes(prefix[1]!) &&
    !INVALID_PREFIXES.has(prefix)
  );
}

/**
 * UK National Insurance numbers: two prefix letters (HMRC's invalid letters and prefixes rejected), six
 * digits and a suffix A-D, compact (`AB123456C`) or spaced (`AB 12 34 56 C`). Upper case only.
 */
export const ninoDetector: Detector = {
  name: 'nino',
  category: 'user.government_id.national_identification_number',
  label: 'nino',
  secret: false,
  minLength: 9,
  // Only the numeric candidates of the profile are read: a text without any has no work to give.
  minDigits: 0,
  requires: HAS_LETTER,
  scan(text: string, report: ReportMatch, profile: TextProfile): void {
    const clusters = profile.digitClusters();
    const r = new GroupReader(text, clusters);
    for (let c = 0; c < clusters.clusterCount; c++) {
      const first = clusters.clusterStarts[c]!;
      const last = clusters.clusterStarts[c + 1]!;
      if (clusters.clusterDigits[c]! < 6) continue;
      let lastGroup: number;
      if (r.length(first) === 6) lastGroup = first;
      else if (first + 2 < last && r.length(first) === 2 && r.length(first + 1) === 2 && r.length(first + 2) === 2 && r.gapChar(first) === 32 && r.gapChar(first + 1) === 32) lastGroup = first + 2;
      else continue;
      let p = r.start(first);
      if (p > 0 && text.charCodeAt(p - 1) === 32) p--;
      const start = p - 2;
      if (start < 0 || !isUpper(text.charCodeAt(start)) || !isUpper(text.charCodeAt(start + 1))) continue;
      if (start > 0 && isAlnum(text.charCodeAt(start - 1))) continue;
      let q = r.end(lastGroup);
      if (q < text.length && text.charCodeAt(q) === 32) q++;
      const suffix = text.charCodeAt(q);
      if (!(suffix >= 65 && suffix <= 68)) continue;
      if (q + 1 < text.length && isAlnum(text.charCodeAt(q + 1))) continue;
      if (!isValidNinoPrefix(text.slice(start, start + 2))) continue;
      if (report(start, q + 1)) return;
    }
  },
  mask: maskKeepLastFour,
  normalize: normalizeAlnum,
};
