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

  /**
   * The images of many values at once, equal to {@link permute} of each: every round of every value goes through
   * one cipher call per round (ECB encrypts each block on its own), where one value at a time costs a call (about a
   * microsecond) per round.
   *
   * @param values - safe non-negative integers
   */
  permuteMany(values: readonly number[]): number[] {
    const out = values.slice();
    let pending = out.map((_, i) => i);
    while (pending.length > 0) {
      const left = pending.map((i) => Math.floor((out[i] as number) / HALF));
      const right = pending.map((i) => (out[i] as number) % HALF);
      const blocks = Buffer.alloc(pending.length * 16);
      for (let round = 0; round < ROUNDS; round++) {
        for (let k = 0; k < pending.length; k++) {
          blocks.writeUInt32BE(round, k * 16);
          blocks.writeUInt32BE(right[k] as number, k * 16 + 4);
        }
        const mixed = this.cipher.update(blocks);
        for (let k = 0; k < pending.length; k++) {
          const next = ((left[k] as number) ^ (mixed.readUInt32BE(k * 16) & HALF_MASK)) >>> 0;
          left[k] = right[k] as number;
          right[k] = next;
        }
      }
      const walk: number[] = [];
      for (let k = 0; k < pending.length; k++) {
        const i = pending[k] as number;
        out[i] = (left[k] as number) * HALF + (right[k] as number);
        if ((out[i]) >= PERMUTATION_LIMIT) walk.push(i);
      }
      pending = walk;
    }
    return out;
  }
}
