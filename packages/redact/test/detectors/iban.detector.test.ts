import { onlyDetector } from '../support';

describe('iban detector', () => {
  const redact = onlyDetector('iban');

  it.each([['DE89 3704 0044 0532 0130 00'], ['DE89370400440532013000'], ['GB82 WEST 1234 5698 7654 32'], ['GB82WEST12345698765432'], ['FR14 2004 1010 0505 0001 3M02 606'], ['NL91ABNA0417164300'], ['de89370400440532013000']])(
    'replaces the valid IBAN %s',
    (iban) => {
      expect(redact.text(`refund to ${iban}, thanks`)).toBe('refund to [REDACTED:iban], thanks');
    },
  );

  it('leaves an IBAN with a wrong check digit untouched', () => {
    expect(redact.text('to DE89370400440532013001')).toBe('to DE89370400440532013001');
  });

  it('leaves an IBAN of the wrong length for its country untouched', () => {
    expect(redact.text('to DE8937040044053201300')).toBe('to DE8937040044053201300');
  });

  it('leaves an unknown country code untouched', () => {
    expect(redact.text('code QQ12 3456 7890 1234')).toBe('code QQ12 3456 7890 1234');
  });
});
