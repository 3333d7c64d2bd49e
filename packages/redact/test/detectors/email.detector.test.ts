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
