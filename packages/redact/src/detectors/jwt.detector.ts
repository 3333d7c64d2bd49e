import { JWT_CHAR, is } from '../text/char-class';
import { HAS_DOT } from '../text/text-profile';
import type { Detector, ReportMatch } from './detector';

/** Only the start of a header is decoded: enough to see `{"alg":...}`, never a large amount of work. */
const MAX_HEADER = 1024;

function isJoseHeader(segment: string): boolean {
  let decoded: string;
  try {
    decoded = Buffer.from(segment.slice(0, MAX_HEADER), 'base64url').toString('latin1');
  } catch {
    return false;
  }
  return decoded.startsWith('{"') && /"(?:alg|typ|enc|kid)"\s*:/.test(decoded);
}

function isJwt(token: string): boolean {
  const segments = token.split('.');
  return (segments.length === 3 || segments.length === 5) && segments[0]!.length >= 10 && segments[1]!.length >= 2 && isJoseHeader(segments[0]!);
}

/**
 * JSON Web Tokens (JWS with three segments, JWE with five) starting `eyJ`, whose first segment decodes to a
 * JOSE header (`{"alg":...}`). The whole token is redacted, signature included.
 */
export const jwtDetector: Detector = {
  name: 'jwt',
  category: 'user.authorization.credentials',
  label: 'jwt',
  secret: true,
  minLength: 20,
  minDigits: 0,
  requires: HAS_DOT,
  scan(text: string, report: ReportMatch): void {
    const n = text.length;
    let anchor = text.indexOf('eyJ');
    while (anchor !== -1) {
      let end = anchor;
      while (end < n && is(text.charCodeAt(end), JWT_CHAR)) end++;
      if (anchor === 0 || !is(text.charCodeAt(anchor - 1), JWT_CHAR)) {
        // A trailing '.' is either the empty signature of an unsigned token or the end of a sentence.
        let last = end;
        if (!isJwt(text.slice(anchor, last))) {
          while (last > anchor && text.charCodeAt(last - 1) === 46) last--;
          if (last === end || !isJwt(text.slice(anchor, last))) last = -1;
        }
        if (last !== -1 && report(anchor, last)) return;
      }
      anchor = end >= n ? -1 : text.indexOf('eyJ', end);
    }
  },
};
