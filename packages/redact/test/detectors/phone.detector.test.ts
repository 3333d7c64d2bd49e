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
