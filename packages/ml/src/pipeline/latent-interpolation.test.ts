import { describe, expect, it } from 'vitest';
import { centreCrop, sphericalLatents } from './latent-interpolation';

const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));
const angle = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.acos(Array.from(a).reduce((s, x, i) => s + x * (b[i] as number), 0) / norm(a) / norm(b));

describe('sphericalLatents', () => {
  const a = [3, 0, 0, 1];
  const b = [0, -1, 2, 0.5];

  it('starts and ends at the two latents and turns by equal angles between them', () => {
    const path = sphericalLatents(a, b, 7);
    expect(path).toHaveLength(7);
    path[0]!.forEach((v, j) => expect(v).toBeCloseTo(a[j]!, 5));
    path[6]!.forEach((v, j) => expect(v).toBeCloseTo(b[j]!, 5));
    const total = angle(a, b);
    path.forEach((z, s) => expect(angle(a, z)).toBeCloseTo((total * s) / 6, 4));
  });

  it('keeps every frame as long as the ends (lengths linear between theirs), where the straight line cuts inside', () => {
    const path = sphericalLatents(a, b, 9);
    path.forEach((z, s) => expect(norm(z)).toBeCloseTo(((8 - s) * norm(a) + s * norm(b)) / 8, 4));
    // The straight line's midpoint is shorter than either end: closer to the prior's centre.
    const mid = a.map((v, j) => (v + b[j]!) / 2);
    expect(norm(mid)).toBeLessThan(Math.min(norm(a), norm(b)));
  });

  it('falls back to the straight line for parallel latents, and refuses mismatched ones', () => {
    const path = sphericalLatents([1, 1], [2, 2], 3);
    expect(Array.from(path[1]!)).toEqual([1.5, 1.5]);
    expect(() => sphericalLatents([1], [1, 2], 3)).toThrow(RangeError);
  });
});

describe('centreCrop', () => {
  it('takes the centre window of the side asked for, and refuses an image smaller than it', () => {
    const img = { width: 6, height: 5, channels: 1, data: Float32Array.from({ length: 30 }, (_, i) => i) };
    const { image, window } = centreCrop(img, 3);
    expect(window).toEqual({ x: 1, y: 1, side: 3 });
    expect(Array.from(image.data)).toEqual([7, 8, 9, 13, 14, 15, 19, 20, 21]);
    expect(() => centreCrop(img, 6)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });
});
