import { onlyDetector } from '../support';

describe('ipv4Numeric detector', () => {
  const redact = onlyDetector('ipv4Numeric');

  it('redacts an integer address in the host position of a URL', () => {
    expect(redact.text('GET http://3405803856/admin')).toBe('GET http://[REDACTED:ip]/admin');
  });

  it('redacts an integer address after user info in a URL', () => {
    expect(redact.text('ftp://guest@3405803856:21/')).toBe('ftp://guest@[REDACTED:ip]:21/');
  });

  it('redacts an integer address after the word ip', () => {
    expect(redact.text('blocked ip 3405803856 for spam')).toBe('blocked ip [REDACTED:ip] for spam');
  });

  it('redacts an integer address under a remote_addr key', () => {
    expect(redact.text('remote_addr=3405803856 ok')).toBe('remote_addr=[REDACTED:ip] ok');
  });

  it('redacts a hex address after host=', () => {
    expect(redact.text('host=0xCB007150 up')).toBe('host=[REDACTED:ip] up');
  });

  it('redacts a dotted hex address without context', () => {
    expect(redact.text('peer 0xCB.0x00.0x71.0x50 seen')).toBe('peer [REDACTED:ip] seen');
  });

  it('redacts a dotted octal address without context', () => {
    expect(redact.text('via 0313.0.0161.0120 now')).toBe('via [REDACTED:ip] now');
  });

  it.each([
    ['a bare 10-digit number', 'processed 3405803856 rows'],
    ['epoch seconds', 'at 1733312345 done'],
    ['epoch millis', 'ts=1733312345123'],
    ['a size under an unrelated key', 'size=3405803856'],
    ['an id after the word user', 'user 3405803856 logged in'],
    ['a hex value without context', 'flags 0xCB007150 set'],
    ['a short hex code', 'host code 0x1f'],
    ['a decimal number', 'ip weight 3405803856.5'],
    ['a dotted decimal version', 'v01.02.03.04'],
  ])('leaves %s untouched', (_what, input) => {
    expect(redact.text(input)).toBe(input);
  });
});
