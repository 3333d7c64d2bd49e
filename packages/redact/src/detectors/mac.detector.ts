import type { Detector, ReportMatch } from './detector';
import { normalizeAlnum } from './detector';

/**
 * Six hex octets joined by one separator (aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF) or three groups of four hex
 * digits joined by dots (aabb.ccdd.eeff, Cisco). Every quantifier is bounded and the alternatives are fixed
 * length, so a failed attempt costs at most 17 characters; neighbours that continue the run (a seventh octet,
 * an IPv6 address) are excluded by the look-arounds.
 */
const MAC = /(?<![\w:.-])(?:[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})(?![\w:-]|\.\w)/g;

/** Whether the value is all zeros or all ones (no device: placeholders, broadcast). */
/**
 * The separators of a MAC address around two hex pairs (`:bb:cc:`, `-BB-CC-`) or a dotted Cisco group
 * (`.ccdd.`): a search that starts only at ':', '-' or '.', so that text without such a run (times, dates, UUIDs,
 * versions) is left after one quick native pass.
 */
const GATE = /[:-][0-9A-Fa-f]{2}[:-][0-9A-Fa-f]{2}[:-]|\.[0-9A-Fa-f]{4}\./;

function isPlaceholder(value: string): boolean {
  const hex = normalizeAlnum(value);
  return /^(?:0{12}|F{12})$/.test(hex);
}

/**
 * MAC addresses (device identifiers): `aa:bb:cc:dd:ee:ff`, `AA-BB-CC-DD-EE-FF`, `aabb.ccdd.eeff`. Times
 * (10:30:00), IPv6 addresses and the all-zero or broadcast placeholders stay untouched. Scanned only in texts
 * holding a ':', '-' or '.'.
 */
export const macDetector: Detector = {
  name: 'mac',
  category: 'user.device.device_id',
  label: 'mac',
  secret: false,
  minLength: 14,
  minDigits: 0,
  requires: 0,
  scan(text: string, report: ReportMatch): void {
    if (!GATE.test(text)) return;
    MAC.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = MAC.exec(text)) !== null) {
      if (isPlaceholder(match[0])) continue;
      if (report(match.index, match.index + match[0].length)) return;
    }
  },
  mask(value: string): string {
    return value.slice(0, 8) + value.slice(8).replace(/[0-9A-Fa-f]/g, '*');
  },
  normalize(value: string): string {
    return normalizeAlnum(value);
  },
};
