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
