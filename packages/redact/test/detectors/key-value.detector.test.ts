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

describe('key=value detector, personal values in query strings', () => {
  const redact = onlyDetector('keyValue');

  it('redacts a percent-encoded name under ?name= in a query string', () => {
    expect(redact.text('GET /signup?name=Alice%20Smith&page=2')).toBe('GET /signup?name=[REDACTED:name]&page=2');
  });

  it('redacts a plus-encoded name under &name= in a query string', () => {
    expect(redact.text('GET /signup?page=2&name=Alice+Smith&sort=asc')).toBe('GET /signup?page=2&name=[REDACTED:name]&sort=asc');
  });

  it('redacts first_name, dob, phone, email and address values in one query string', () => {
    const out = redact.text('/s?first_name=Ada&dob=1984-03-12&phone=%2B441134960000&email=a%40example.com&address=12%20Elm%20Street');
    expect(out).toBe('/s?first_name=[REDACTED:name]&dob=[REDACTED:dob]&phone=[REDACTED:phone]&email=[REDACTED:email]&address=[REDACTED:address]');
  });

  it('redacts short form keys (addr1, zip) in a query string', () => {
    expect(redact.text('?addr1=12+Elm+St&zip=ZZ99+9ZZ')).toBe('?addr1=[REDACTED:address]&zip=[REDACTED:address]');
  });

  it('leaves a generic name= outside a query string untouched', () => {
    expect(redact.text('queue name=billing ready')).toBe('queue name=billing ready');
  });
});
