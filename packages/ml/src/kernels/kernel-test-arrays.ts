// Shared by the kernel tests: reproducible pseudo-random arrays (so a failure reproduces) and
// the relative error the numerical checks compare against a tolerance.

/** n values (u - 0.5) * scale + offset, u uniform in [0, 1) from a seeded LCG. */
export function randomArray(n: number, seed: number, scale = 1, offset = 0): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * scale + offset;
  }
  return out;
}

/** RMS of the difference over RMS of the reference b; throws on a length mismatch. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / Math.max(den, 1e-30));
}
