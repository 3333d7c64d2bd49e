import { onlyDetector } from '../support';

describe('mac detector', () => {
  const redact = onlyDetector('mac');

  it('redacts a MAC address written with colons', () => {
    expect(redact.text('station 3c:22:fb:9a:1e:07 joined')).toBe('station [REDACTED:mac] joined');
  });

  it('redacts a MAC address written with hyphens in capitals', () => {
    expect(redact.text('device=3C-22-FB-9A-1E-07,')).toBe('device=[REDACTED:mac],');
  });

  it('redacts a MAC address in Cisco dot notation', () => {
    expect(redact.text('arp 3c22.fb9a.1e07 vlan 10')).toBe('arp [REDACTED:mac] vlan 10');
  });

  it('redacts a MAC address at the end of a sentence', () => {
    expect(redact.text('seen aa:bb:cc:dd:ee:01.')).toBe('seen [REDACTED:mac].');
  });

  it.each([
    ['a time', 'at 10:30:00 ok'],
    ['an IPv6 address with more groups', 'fe80:0:0:0:aa:bb:cc:dd'],
    ['seven octets', 'aa:bb:cc:dd:ee:ff:11'],
    ['the all-zero placeholder', 'mac 00:00:00:00:00:00'],
    ['the broadcast address', 'dst ff:ff:ff:ff:ff:ff'],
    ['a hex hash', 'sha 3c22fb9a1e07aabbccdd'],
    ['mixed separators', '3c:22-fb:9a-1e:07'],
  ])('leaves %s untouched', (_what, input) => {
    expect(redact.text(input)).toBe(input);
  });
});
