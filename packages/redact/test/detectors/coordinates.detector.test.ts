import { onlyDetector } from '../support';

describe('coordinates detector', () => {
  const redact = onlyDetector('coordinates');

  it('redacts a decimal pair with GPS precision anywhere', () => {
    expect(redact.text('pin 48.85661, 2.35222 saved')).toBe('pin [REDACTED:location] saved');
  });

  it('redacts a 4-decimal pair after a telling word', () => {
    expect(redact.text('driver location: 48.8566, 2.3522')).toBe('driver location: [REDACTED:location]');
  });

  it('redacts a pair with negative values and no space after the comma', () => {
    expect(redact.text('Standort -33.86882,151.20929.')).toBe('Standort [REDACTED:location].');
  });

  it('redacts degrees, minutes and seconds with a hemisphere', () => {
    expect(redact.text(`at 48°51'24"N 2°21'08"E`)).toBe('at [REDACTED:location] [REDACTED:location]');
  });

  it('redacts lat= and lon= values through the key=value detector', () => {
    expect(onlyDetector('keyValue').text('lat=48.85 lon=2.35')).toBe('lat=[REDACTED:location] lon=[REDACTED:location]');
  });

  it.each([
    ['a 4-decimal pair without a telling word', 'ratios 3.1416, 2.7183'],
    ['two versions', 'upgraded 1.2, 3.4'],
    ['two prices', 'totals 48.50, 2.35'],
    ['a latitude out of range', 'pos 98.12345, 2.12345'],
    ['an angle without minutes', 'turned 90° left'],
    ['a temperature', 'it is 21°C'],
    ['a version list', 'node 18.19.0, 20.11.1'],
  ])('leaves %s untouched', (_what, input) => {
    expect(redact.text(input)).toBe(input);
  });
});
