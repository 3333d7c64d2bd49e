import { onlyDetector } from '../support';

describe('ipv6 detector', () => {
  const redact = onlyDetector('ipv6');

  it.each([
    ['2001:db8::1'],
    ['2001:0db8:0000:0000:0000:ff00:0042:8329'],
    ['2001:DB8:85A3::8A2E:370:7334'],
    ['::ffff:192.0.2.1'],
    ['fe80::1c2d:3e4f'],
  ])('replaces the address %s', (address) => {
    expect(redact.text(`peer ${address} closed`)).toBe('peer [REDACTED:ip] closed');
  });

  it('keeps brackets and port around a bracketed address', () => {
    expect(redact.text('http://[2001:db8::5]:443/')).toBe('http://[[REDACTED:ip]]:443/');
  });

  it('includes the zone id in the replacement', () => {
    expect(redact.text('link fe80::1%eth0 up')).toBe('link [REDACTED:ip] up');
  });

  it.each(['at 10:30:00.123', 'std::vector<int>', 'mac 00:1a:2b:3c:4d:5e', 'unspecified ::', 'loopback ::1', 'ratio 16:9', 'file.ts:42:13', 'Foo::Bar'])(
    'leaves %j untouched',
    (input) => {
      expect(redact.text(input)).toBe(input);
    },
  );
});
