import { onlyDetector } from '../support';

describe('postalAddress detector', () => {
  const redact = onlyDetector('postalAddress');

  it('redacts the address after address: up to the end of the line', () => {
    expect(redact.text('address: 12 Elm Street, Springfield ZZ99 9ZZ\nnext line')).toBe('address: [REDACTED:address]\nnext line');
  });

  it('redacts the address after ship to:', () => {
    expect(redact.text('ship to: 4 Quarry Lane, Leeds; total 12.50')).toBe('ship to: [REDACTED:address]; total 12.50');
  });

  it('redacts the address after shipping address with a spaced dash', () => {
    expect(redact.text('Shipping address - 7 Mill Road, Leeds')).toBe('Shipping address - [REDACTED:address]');
  });

  it('ends the address at the end of a sentence', () => {
    expect(redact.text('address: 12 St. Mary Road, Springfield. Order shipped')).toBe('address: [REDACTED:address]. Order shipped');
  });

  it.each([
    ['Anschrift: Musterstraße 12, 10115 Berlin', 'Anschrift: [REDACTED:address]'],
    ['Lieferadresse: Beispielweg 3, 50667 Köln', 'Lieferadresse: [REDACTED:address]'],
    ["adresse : 12 rue de l'Exemple, 75002 Paris", 'adresse : [REDACTED:address]'],
    ['dirección: Calle Mayor 5, 28013 Madrid', 'dirección: [REDACTED:address]'],
    ['indirizzo: Via Esempio 3, 00100 Roma', 'indirizzo: [REDACTED:address]'],
    ['adres: Voorbeeldstraat 3, 1234 AB Utrecht', 'adres: [REDACTED:address]'],
  ])('redacts the address after a telling word in another language in %j', (input, expected) => {
    expect(redact.text(input)).toBe(expected);
  });

  it('redacts a postcode after postcode: and stops after it', () => {
    expect(redact.text('postcode: ZZ99 9ZZ, city Leeds')).toBe('postcode: [REDACTED:address], city Leeds');
  });

  it('caps a runaway address at 160 characters', () => {
    const out = redact.text(`address: ${'x'.repeat(400)}`);
    expect(out).toBe(`address: [REDACTED:address]${'x'.repeat(240)}`);
  });

  it.each([
    ['an IP address', 'ip address: 203.0.113.7 port 80'],
    ['a bind address', 'bind address: 0.0.0.0:3000'],
    ['an e-mail address label', 'email address: see profile'],
    ['a value that is a host and port', 'address: 10.0.0.1:8080'],
    ['the word address in prose', 'the address was updated'],
    ['a null value', 'address: null'],
    ['a zip setting without a digit', 'zip: enabled'],
    ['a rate cap', 'rate cap: 100 rps'],
    ['a boolean value', 'shipping address: true'],
    ['a quoted value (the key=value detector handles it)', '"address":"x"'],
  ])('leaves %s untouched', (_what, input) => {
    expect(redact.text(input)).toBe(input);
  });
});

describe('postalAddress detector, where the address ends', () => {
  const redact = onlyDetector('postalAddress');

  it('ends an address query parameter at the next parameter', () => {
    expect(redact.text('GET /s?address=12+Elm+St&page=2 200')).toBe('GET /s?address=[REDACTED:address]&page=2 200');
  });

  it('ends an address query parameter at white space', () => {
    expect(redact.text('GET /s?page=2&address=12+Elm+St 200 in 3ms')).toBe('GET /s?page=2&address=[REDACTED:address] 200 in 3ms');
  });

  it('ends an address in a log line at the next key', () => {
    expect(redact.text('address: 12 Elm Street, Leeds status=ok')).toBe('address: [REDACTED:address] status=ok');
  });
});
