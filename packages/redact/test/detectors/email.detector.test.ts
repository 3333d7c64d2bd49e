import { onlyDetector } from '../support';

describe('email detector', () => {
  const redact = onlyDetector('email');

  it.each([
    ['alice@example.com', '[REDACTED:email]'],
    ['mail Alice.Smith+news@mail.example.org today', 'mail [REDACTED:email] today'],
    ['<bob_99@example.net>', '<[REDACTED:email]>'],
    ['mailto:carol@example.com?subject=hi', 'mailto:[REDACTED:email]?subject=hi'],
    ['end of sentence dave@example.com.', 'end of sentence [REDACTED:email].'],
  ])('replaces the address in %j', (input, expected) => {
    expect(redact.text(input)).toBe(expected);
  });

  it('finds a percent-encoded address in a query string', () => {
    expect(redact.text('GET /users?email=alice%40example.com&page=2')).toBe('GET /users?email=[REDACTED:email]&page=2');
  });

  it('finds a double-encoded address', () => {
    expect(redact.text('next=%2Fverify%3Femail%3Dalice%2540example.com')).not.toContain('alice');
  });

  it.each(['npm i @scope/pkg@1.2.3', '@mention in chat', 'user@localhost', 'firefox stack: fn@http://x', 'a@b'])(
    'leaves %j untouched (no domain with a letters-only top-level label)',
    (input) => {
      expect(redact.text(input)).toBe(input);
    },
  );

  it('does not reach back past the previous @ (a@a@a@ stays linear and redacts nothing)', () => {
    const input = 'a@'.repeat(1000);
    expect(redact.text(input)).toBe(input);
  });
});

describe('email detector, international addresses (RFC 6531)', () => {
  const redact = onlyDetector('email');

  it('redacts an e-mail whose local part has an apostrophe, whole', () => {
    expect(redact.text("from o'brien.k@example.ie today")).toBe('from [REDACTED:email] today');
  });

  it('redacts an e-mail whose local part has accented letters, whole', () => {
    expect(redact.text('to josé.müller@example.de')).toBe('to [REDACTED:email]');
  });

  it('redacts an e-mail written entirely in another script, domain included', () => {
    expect(redact.text('contact 用户@例子.广告 now')).toBe('contact [REDACTED:email] now');
  });

  it('keeps the quotes around a quoted address', () => {
    expect(redact.text("owner='zoë@example.fr'")).toBe("owner='[REDACTED:email]'");
  });

  it('stops the local part at typographic quotes and guillemets', () => {
    expect(redact.text('«anne@example.fr»')).toBe('«[REDACTED:email]»');
  });
});
