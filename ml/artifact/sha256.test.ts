import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256 } from './sha256';

describe('sha256', () => {
  it('matches the FIPS test vectors and Node’s crypto on random data of every padding length', () => {
    expect(sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    for (let n = 0; n < 200; n += 7) {
      const data = randomBytes(n);
      expect(sha256(data)).toBe(createHash('sha256').update(data).digest('hex'));
    }
    expect(sha256('héllo ✓')).toBe(createHash('sha256').update('héllo ✓', 'utf8').digest('hex'));
  });
});
