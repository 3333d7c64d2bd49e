import { onlyDetector } from '../support';

describe('ipv4 detector', () => {
  const redact = onlyDetector('ipv4');

  it.each([
    ['from 203.0.113.7 -', 'from [REDACTED:ip] -'],
    ['client=198.51.100.23:8080', 'client=[REDACTED:ip]:8080'],
    ['net 192.0.2.0/24', 'net [REDACTED:ip]/24'],
    ['padded 203.000.113.007.', 'padded [REDACTED:ip].'],
    ['[192.0.2.1]', '[[REDACTED:ip]]'],
  ])('replaces the address in %j', (input, expected) => {
    expect(redact.text(input)).toBe(expected);
  });

  it.each([
    'listening on 0.0.0.0:3000',
    'loopback 127.0.0.1',
    'version 4.3.2.1',
    'v1.2.3.4',
    'oid 1.3.6.1.4.1',
    'octets 256.1.1.1',
    'build 10.0.19045.3803',
    'semver 1.4.0',
  ])('leaves %j untouched', (input) => {
    expect(redact.text(input)).toBe(input);
  });
});
