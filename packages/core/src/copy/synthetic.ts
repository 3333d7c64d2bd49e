import { FAKE_BANK_CODES, FAKE_EMAIL_DOMAINS, TEST_CARD_BINS, TEST_NETS, UK_FICTION_PREFIX, US_AREA_CODES } from './fake-ranges';

const UK_NATIONAL = `0${UK_FICTION_PREFIX.slice(2)}`;
const NANP_FICTION = /^1?([2-9]\d\d)55501\d\d$/;

function isSyntheticIpv4(value: string): boolean {
  const octets = value.split('.');
  if (octets.length !== 4 || !octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255)) return false;
  return TEST_NETS.includes(octets.slice(0, 3).map(Number).join('.'));
}

function isSyntheticIpv6(value: string): boolean {
  const first = value.toLowerCase().split(':');
  return first[0] === '2001' && (first[1] === 'db8' || first[1] === '0db8');
}

function isSyntheticPhone(value: string): boolean {
  let digits = value.replace(/\D/g, '');
  if (digits.startsWith('00')) digits = digits.slice(2);
  if (digits.length === 12 && digits.startsWith(UK_FICTION_PREFIX)) return true;
  if (digits.length === 11 && digits.startsWith(UK_NATIONAL)) return true;
  if (digits.length === 10 && digits.startsWith(UK_FICTION_PREFIX.slice(2))) return true;
  const nanp = NANP_FICTION.exec(digits);
  return nanp !== null && (digits.length === 10 || digits.length === 11) && US_AREA_CODES.includes(nanp[1] ?? '');
}

/**
 * Whether a value a redaction detector found is one the copy's fakes produce: an e-mail at an RFC 2606 domain the
 * fakes use (example.com, example.net, example.org), a phone number reserved for fiction (+44 7700 900xxx,
 * +1 <area> 555-01xx), a GB IBAN with a fictitious bank code (TEST, FAKE, DEMO), a card of a test BIN (411111,
 * 400000, 555555), an IP address of the documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24,
 * 2001:db8::/32). The post-copy scan uses it to tell the copy's own fakes from leaked data: anything else a detector
 * finds is a finding.
 *
 * @param label - the detector's label, as `@privacy-kit/redact` reports it: 'email', 'phone', 'iban', 'card', 'ip'
 *   (also 'ipv4', 'ipv6'); other labels are never synthetic
 * @param value - the matched text
 * @example
 * isSyntheticValue('email', 'mei.tanaka.q2x7ab@example.org'); // true
 * isSyntheticValue('email', 'someone@company.invalid');       // false
 */
export function isSyntheticValue(label: string, value: string): boolean {
  if (typeof value !== 'string') return false;
  const text = value.trim();
  switch (label) {
    case 'email': {
      const at = text.lastIndexOf('@');
      return at > 0 && FAKE_EMAIL_DOMAINS.includes(text.slice(at + 1).toLowerCase());
    }
    case 'phone':
      return isSyntheticPhone(text);
    case 'iban': {
      const compact = text.replace(/[\s-]/g, '').toUpperCase();
      return compact.length === 22 && compact.startsWith('GB') && FAKE_BANK_CODES.includes(compact.slice(4, 8));
    }
    case 'card': {
      const digits = text.replace(/[\s./-]/g, '');
      return /^\d{16}$/.test(digits) && TEST_CARD_BINS.some((bin) => digits.startsWith(bin));
    }
    case 'ip':
    case 'ipv4':
    case 'ipv6':
      return text.includes(':') ? isSyntheticIpv6(text) : isSyntheticIpv4(text);
    default:
      return false;
  }
}
