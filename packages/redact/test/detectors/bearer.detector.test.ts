import { onlyDetector } from '../support';

describe('bearer detector', () => {
  const redact = onlyDetector('bearer');

  it('replaces a bearer token and keeps the scheme', () => {
    expect(redact.text('Authorization: Bearer abcDEF123456789xyz')).toBe('Authorization: Bearer [REDACTED:bearer]');
  });

  it('replaces a Basic credential that decodes to user:password', () => {
    const basic = Buffer.from('alice:s3cret').toString('base64');
    expect(redact.text(`auth basic ${basic} ok`)).toBe('auth basic [REDACTED:bearer] ok');
  });

  it('leaves prose after the word bearer untouched', () => {
    expect(redact.text('Bearer authentication failed')).toBe('Bearer authentication failed');
  });

  it('leaves prose after the word basic untouched', () => {
    expect(redact.text('basic information only')).toBe('basic information only');
  });
});
