// Seeded randomness so that every baseline, initialisation and embedding is reproducible.

/** A deterministic random source: uniform in [0, 1), standard normal, integers. */
export interface Rng {
  next(): number;
  normal(): number;
  int(maxExclusive: number): number;
}

/** Creates a seeded generator (mulberry32 + Box-Muller); the same seed gives the same sequence. */
export function createRng(seed: number): Rng {
  let state = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  let spare: number | null = null;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    normal(): number {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    int(maxExclusive: number): number {
      return Math.min(maxExclusive - 1, Math.floor(next() * maxExclusive));
    },
  };
}
