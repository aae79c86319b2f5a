import type { Vectors } from './matrix';

/** A one-class baseline: fit on qualified samples only, then score any samples (higher = more anomalous). */
export interface AnomalyDetector {
  readonly name: string;
  fit(train: Vectors): this;
  score(samples: Vectors): Float64Array;
}

/** Throws unless `samples` are non-empty, finite and all of dimension `dim` (when given). */
export function checkSamples(samples: Vectors, what: string, dim?: number): number {
  const first = samples[0];
  if (!first) throw new RangeError(`${what}: no samples given`);
  const d = dim ?? first.length;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i] as ArrayLike<number>;
    if (v.length !== d) throw new RangeError(`${what}: sample ${i} has ${v.length} values, expected ${d}`);
    for (let j = 0; j < d; j++) if (!Number.isFinite(v[j] as number)) throw new RangeError(`${what}: sample ${i} has a non-finite value`);
  }
  return d;
}

/** Throws when a detector is used before fit. */
export function requireFitted<T>(value: T | null, name: string): T {
  if (value === null) throw new Error(`${name}: call fit() before score()`);
  return value;
}
