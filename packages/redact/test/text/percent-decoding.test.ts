import { decodedWindows } from '../../src/text/percent-decoding';

describe('percent decoding of encoded values', () => {
  it('decodes only the value around an escape and maps decoded positions back', () => {
    const text = 'GET /a?email=alice%40example.com&x=1';
    const [window] = decodedWindows(text, true, false);
    expect(window!.text).toBe('alice@example.com');
    expect(text.slice(window!.original(0), window!.original(window!.text.length))).toBe('alice%40example.com');
  });

  it('decodes twice for double-encoded values', () => {
    const [window] = decodedWindows('q=alice%2540example.com', true, false);
    expect(window!.text).toBe('alice@example.com');
    expect(window!.original(6)).toBe('q=alice%2540'.length);
  });

  it('reads + as a space in form-encoded text', () => {
    const [window] = decodedWindows('phone=%2B44+20+7946+0958', true, true);
    expect(window!.text).toBe('+44 20 7946 0958');
  });

  it('ignores a % that starts no escape', () => {
    expect(decodedWindows('100% sure', true, false)).toEqual([]);
  });
});
