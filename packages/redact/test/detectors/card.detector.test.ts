import { onlyDetector } from '../support';

describe('card detector', () => {
  const redact = onlyDetector('card');

  it.each([
    ['4111111111111111'],
    ['4111 1111 1111 1111'],
    ['4111-1111-1111-1111'],
    ['5555 5555 5555 4444'],
    ['3782 822463 10005'],
    ['378282246310005'],
    ['6011111111111117'],
    ['3056 930902 5904'],
    ['4222222222222'],
  ])('replaces the Luhn-valid card number %s', (card) => {
    expect(redact.text(`paid with ${card} today`)).toBe('paid with [REDACTED:card] today');
  });

  it('leaves a Luhn-invalid 16-digit order id untouched', () => {
    expect(redact.text('order 4111111111111112 shipped')).toBe('order 4111111111111112 shipped');
  });

  it('leaves epoch timestamps in milliseconds and microseconds untouched', () => {
    const input = 'at 1705314600000 and 1705314600000000';
    expect(redact.text(input)).toBe(input);
  });

  it('leaves digits inside a hex hash untouched', () => {
    const input = 'sha 4bf92f35774111111111111111b34da6';
    expect(redact.text(input)).toBe(input);
  });

  it('leaves a 20-digit run alone even if a 16-digit part of it passes Luhn', () => {
    const input = 'id 41111111111111110000';
    expect(redact.text(input)).toBe(input);
  });

  it('does not join space-separated counts into a card (groups must be 4-4-4-4, 4-6-5 or 4-6-4)', () => {
    const input = 'counts 41 11 11 11 11 11 11 11';
    expect(redact.text(input)).toBe(input);
  });

  it('finds a card inside a longer run of numbers separated by spaces', () => {
    expect(redact.text('ref 2024 4111 1111 1111 1111 2025')).toBe('ref 2024 [REDACTED:card] 2025');
  });

  it('finds a card written as a JSON number inside a string', () => {
    expect(redact.text('{"pan":4111111111111111}')).toBe('{"pan":[REDACTED:card]}');
  });
});

describe('card detector, any common grouping', () => {
  const redact = onlyDetector('card');

  it('redacts a card grouped with dots', () => {
    expect(redact.text('card 4111.1111.1111.1111 ok')).toBe('card [REDACTED:card] ok');
  });

  it('redacts a card grouped with slashes', () => {
    expect(redact.text('card 4111/1111/1111/1111 ok')).toBe('card [REDACTED:card] ok');
  });

  it('redacts an Amex card in 4-6-5 groups with slashes', () => {
    expect(redact.text('amex 3782/822463/10005 ok')).toBe('amex [REDACTED:card] ok');
  });

  it('redacts a card grouped with two spaces', () => {
    expect(redact.text('card 5555  5555  5555  4444 ok')).toBe('card [REDACTED:card] ok');
  });

  it('redacts a 19-digit card in 4-4-4-4-3 groups', () => {
    expect(redact.text('card 4000 0000 0000 0000 006 ok')).toBe('card [REDACTED:card] ok');
  });

  it('leaves a Luhn-invalid number grouped with slashes untouched', () => {
    expect(redact.text('ref 4111/1111/1111/1112')).toBe('ref 4111/1111/1111/1112');
  });

  it('leaves a card-length number whose separators change midway untouched', () => {
    expect(redact.text('ref 4111.1111-1111 1111')).toBe('ref 4111.1111-1111 1111');
  });
});
