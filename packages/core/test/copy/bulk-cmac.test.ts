import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { BulkCmac } from '../../src/copy/bulk-cmac';

// RFC 4493, section 4 (AES-128): the published tags of the four example messages.
const KEY = Buffer.from('2b7e151628aed2a6abf7158809cf4f3c', 'hex');
const MESSAGE = Buffer.from(
  '6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710',
  'hex',
);
const VECTORS: readonly [number, string][] = [
  [0, 'bb1d6929e95937287fa37d129b756746'],
  [16, '070a16b46b4d4144f79bdd9dd04a287c'],
  [40, 'dfa66747de9ae63030ca32611497c827'],
  [64, '51f0bebf7e3b9d92fc49741779363cfe'],
];

describe('AES-CMAC of many messages at once', () => {
  it('gives the tags of RFC 4493 for its four example messages, computed together', () => {
    const tags = new BulkCmac(KEY).tags(VECTORS.map(([length]) => MESSAGE.subarray(0, length)));
    expect(VECTORS.map((_, i) => tags.subarray(i * 16, i * 16 + 16).toString('hex'))).toEqual(VECTORS.map(([, tag]) => tag));
  });

  it('gives each message the tag it has alone, whatever the other messages of the batch (property)', () => {
    const key = randomBytes(32);
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 70 }), { minLength: 1, maxLength: 20 }), (arrays) => {
      const messages = arrays.map((a) => Buffer.from(a));
      const together = new BulkCmac(key).tags(messages);
      for (const [i, message] of messages.entries()) {
        expect(together.subarray(i * 16, i * 16 + 16).equals(new BulkCmac(key).tags([message]))).toBe(true);
      }
    }));
  });
});
