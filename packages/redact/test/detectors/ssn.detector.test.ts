import { isValidSsn } from '../../src/detectors/ssn.detector';
import { onlyDetector } from '../support';

describe('ssn detector', () => {
  const redact = onlyDetector('ssn');

  it('replaces an SSN written with dashes', () => {
    expect(redact.text('ssn 123-45-6789 on file')).toBe('ssn [REDACTED:ssn] on file');
  });

  it('replaces an SSN written with spaces', () => {
    expect(redact.text('SSN: 123 45 6789.')).toBe('SSN: [REDACTED:ssn].');
  });

  it.each(['000-12-3456', '666-12-3456', '912-34-5678', '123-00-4567', '123-45-0000', '078-05-1120'])(
    'rejects %s, a number the SSA never issues',
    (ssn) => {
      expect(redact.text(`ssn ${ssn}`)).toBe(`ssn ${ssn}`);
    },
  );

  it('leaves a dash chain that merely contains 3-2-4 digits untouched', () => {
    expect(redact.text('ref 2024-123-45-6789')).toBe('ref 2024-123-45-6789');
  });

  it('leaves mixed separators untouched', () => {
    expect(redact.text('x 123-45 6789')).toBe('x 123-45 6789');
  });

  it('knows the invalid ranges', () => {
    expect(isValidSsn(665, 1, 1)).toBe(true);
    expect(isValidSsn(666, 1, 1)).toBe(false);
    expect(isValidSsn(900, 1, 1)).toBe(false);
  });
});
