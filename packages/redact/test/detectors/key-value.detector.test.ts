import { onlyDetector } from '../support';

describe('key=value detector', () => {
  const redact = onlyDetector('keyValue');

  it.each([
    ['login ok password=hunter2 user=al', 'login ok password=[REDACTED:password] user=al'],
    ['DB_PASSWORD=s3cret', 'DB_PASSWORD=[REDACTED:password]'],
    ['?api_key=abc123&page=2', '?api_key=[REDACTED:api_key]&page=2'],
    ['X-Api-Key: abc123', 'X-Api-Key: [REDACTED:api_key]'],
    ['{"password":"hunter 2","user":"al"}', '{"password":"[REDACTED:password]","user":"al"}'],
    ['{\\"token\\":\\"abc\\"}', '{\\"token\\":\\"[REDACTED:token]\\"}'],
    ["secret: 'x y z'", "secret: '[REDACTED:secret]'"],
    ['ssn=123456789', 'ssn=[REDACTED:ssn]'],
    ['dob=1990-05-17 ok', 'dob=[REDACTED:dob] ok'],
    ['first_name=Ada last', 'first_name=[REDACTED:name] last'],
  ])('replaces the value in %j', (input, expected) => {
    expect(redact.text(input)).toBe(expected);
  });

  it('replaces a whole header line after Authorization', () => {
    expect(redact.text('Authorization: Basic dXNlcjpwYXNz\nHost: x')).toBe('Authorization: [REDACTED:authorization]\nHost: x');
  });

  it('replaces every cookie of a Cookie header', () => {
    expect(redact.text('Cookie: sid=abc; theme=dark')).toBe('Cookie: [REDACTED:cookie]');
  });

  it('handles an escaped quote inside a quoted password', () => {
    expect(redact.text('{"password":"a\\"b","n":1}')).toBe('{"password":"[REDACTED:password]","n":1}');
  });

  it.each(['max_tokens=512', 'tokens: 12', 'password=null', '"secret": false', 'at 10:30:00', 'a == b', 'name=widget', 'password: {'])(
    'leaves %j untouched',
    (input) => {
      expect(redact.text(input)).toBe(input);
    },
  );
});
