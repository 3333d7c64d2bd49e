import { onlyDetector } from '../support';

describe('phone detector', () => {
  const redact = onlyDetector('phone');

  it.each([
    ['+447700900123'],
    ['+44 20 7946 0958'],
    ['+1 (201) 555-0123'],
    ['+1-201-555-0123'],
    ['+44 (0)20 7946 0958'],
    ['+33 1 99 00 12 34'],
    ['0044 20 7946 0958'],
    ['020 7946 0958'],
    ['07700 900123'],
    ['07700900123'],
    ['01 99 00 12 34'],
    ['(201) 555-0123'],
    ['201-555-0123'],
    ['201.555.0123'],
    ['1 (201) 555-0123'],
  ])('replaces %s', (phone) => {
    expect(redact.text(`call ${phone} now`)).toBe('call [REDACTED:phone] now');
  });

  it.each([
    'date 2024-01-15',
    'at 2024-01-15T10:30:04.271202-05:00',
    'count 5550100199',
    'epoch 1705314600',
    'price 1,299.00',
    'port :8080',
    'tz +05:30',
    'version 1.2.3',
    'area 123-456-7890',
    'uuid 12345678-0123-4567-8901-234567890123',
    'ids 0000012345',
    'small +1 2',
  ])('leaves %j untouched', (input) => {
    expect(redact.text(input)).toBe(input);
  });
});

describe('phone detector, European and North American writings', () => {
  const redact = onlyDetector('phone');

  it.each([
    ['+44 (0)20 7946 0958'],
    ['+49 (0)30 12345678'],
    ['+33 (0)6 12 34 56 78'],
  ])('redacts a number with the trunk prefix (0) after the country code: %s', (phone) => {
    expect(redact.text(`call ${phone} today`)).toBe('call [REDACTED:phone] today');
  });

  it.each([['0044 20 7946 0958'], ['00 33 1 99 00 12 34'], ['0049 171 1234567'], ['00351 21 123 4567']])(
    'redacts a number with the 00 international prefix: %s',
    (phone) => {
      expect(redact.text(`call ${phone} today`)).toBe('call [REDACTED:phone] today');
    },
  );

  it.each([
    ['FR mobile', '06 12 34 56 78'],
    ['FR mobile with dots', '06.12.34.56.78'],
    ['DE mobile', '0171 1234567'],
    ['DE mobile with a hyphen', '0176-12345678'],
    ['NL mobile', '06-12345678'],
    ['BE mobile', '0470 12 34 56'],
    ['AT mobile', '0664 1234567'],
    ['CH mobile', '079 123 45 67'],
    ['SE mobile', '070-123 45 67'],
    ['IE mobile', '087 123 4567'],
    ['UK landline with parentheses', '(0161) 496 0123'],
  ])('redacts a national number with its trunk 0 (%s)', (_country, phone) => {
    expect(redact.text(`call ${phone} today`)).toBe('call [REDACTED:phone] today');
  });

  it.each([
    ['IT', '+39 333 123 4567'],
    ['ES', '+34 612 34 56 78'],
    ['PL', '+48 512 345 678'],
    ['PT', '+351 912 345 678'],
    ['SE', '+46 70 123 45 67'],
    ['CH', '+41 79 123 45 67'],
  ])('redacts an international number of %s', (_country, phone) => {
    expect(redact.text(`call ${phone} today`)).toBe('call [REDACTED:phone] today');
  });

  it.each([['(555) 123-4567'], ['555.123.4567'], ['1 (800) 555-0199'], ['+1.604.555.0123']])('redacts the North American number %s', (phone) => {
    expect(redact.text(`call ${phone} today`)).toBe('call [REDACTED:phone] today');
  });

  it.each([
    ['a bare 10-digit id', 'id 3405803856 ok'],
    ['a version', 'v 10.12.3.4'],
    ['a date', 'on 2024-01-15 ok'],
    ['a time range', 'from 10:30 to 12:45'],
    ['a count with thousands separators', 'read 1 234 567 rows'],
    ['a 00 group in the middle of a hyphenated number', 'ref 2223-0055-0163-4485 1280.23'],
    ['a UUID whose first two groups are digits after a 0', 'job 03915420-8269-4137-af8d-dec4a7254a71 done'],
  ])('leaves %s untouched', (_what, input) => {
    expect(redact.text(input)).toBe(input);
  });
});
