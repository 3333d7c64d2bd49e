import { createCipheriv, type Cipher } from 'node:crypto';

const HALF_BITS = 27;
const HALF = 2 ** HALF_BITS;
const HALF_MASK = HALF - 1;
/** The permuted domain, [0, 2^53): every safe non-negative integer. */
export const PERMUTATION_LIMIT = 2 ** 53;
const ROUNDS = 4;

/**
 * A keyed permutation of [0, 2^53): a balanced Feistel network on 54 bits (two halves of 27) with cycle walking
 * back into the domain. Distinct inputs give distinct outputs (primary keys stay unique); the round function is
 * AES-256 of the round number and the half, through one reused ECB cipher (one block per round: far cheaper than
 * an HMAC per round, with the same keyed unpredictability).
 */
export class IntegerPermutation {
  private readonly cipher: Cipher;
  private readonly block = Buffer.alloc(16);

  /** @param key - 32 bytes, used for nothing else */
  constructor(key: Buffer) {
    this.cipher = createCipheriv('aes-256-ecb', key, null);
    this.cipher.setAutoPadding(false);
  }

  private round(round: number, half: number): number {
    const block = this.block;
    block.writeUInt32BE(round, 0);
    block.writeUInt32BE(half, 4);
    return this.cipher.update(block).readUInt32BE(0) & HALF_MASK;
  }

  private once(value: number): number {
    let left = Math.floor(value / HALF);
    let right = value % HALF;
    for (let round = 0; round < ROUNDS; round++) {
      const next = (left ^ this.round(round, right)) >>> 0;
      left = right;
      right = next;
    }
    return left * HALF + right;
  }

  /**
   * The image of a value of [0, 2^53).
   *
   * @param value - a safe non-negative integer
   */
  permute(value: number): number {
    // Cycle walking: the network permutes [0, 2^54); re-apply until the image falls back into [0, 2^53).
    let out = this.once(value);
    while (out >= PERMUTATION_LIMIT) out = this.once(out);
    return out;
  }
}
