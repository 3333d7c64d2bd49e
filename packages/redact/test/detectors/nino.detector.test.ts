import { isValidNinoPrefix } from '../../src/detectors/nino.detector';
import { onlyDetector } from '../support';

describe('UK National Insurance number detector', () => {
  const redact = onlyDetector('nino');

  it.each([['AB123456C'], ['AB 12 34 56 C'], ['JG103759A']])('replaces %s', (nino) => {
    expect(redact.text(`NI ${nino} ok`)).toBe('NI [REDACTED:nino] ok');
  });

  it.each(['QQ123456C', 'DA123456A', 'BG123456A', 'AB123456E', 'AB12345C', 'ab123456c'])('leaves %s untouched', (value) => {
    expect(redact.text(`NI ${value}`)).toBe(`NI ${value}`);
  });

  it('applies the HMRC prefix rules', () => {
    expect(isValidNinoPrefix('AB')).toBe(true);
    expect(isValidNinoPrefix('GB')).toBe(false);
    expect(isValidNinoPrefix('AO')).toBe(false);
  });
});
