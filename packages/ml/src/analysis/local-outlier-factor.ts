import { checkSamples, requireFitted, type AnomalyDetector } from './anomaly-detector';
import { squaredDistance, type Vectors } from './matrix';

/** k nearest training neighbours (indices and distances, nearest first) of x, optionally excluding one index. */
function nearest(train: Float64Array[], x: ArrayLike<number>, k: number, exclude = -1): { index: Int32Array; dist: Float64Array } {
  const cand: Array<[number, number]> = [];
  train.forEach((t, i) => {
    if (i !== exclude) cand.push([squaredDistance(t, x), i]);
  });
  cand.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const top = cand.slice(0, k);
  return { index: Int32Array.from(top, (c) => c[1]), dist: Float64Array.from(top, (c) => Math.sqrt(c[0])) };
}

/**
 * Local outlier factor in novelty mode (as scikit-learn's LocalOutlierFactor(novelty=True)):
 * the score of x is the ratio of its neighbours' local reachability density to its own;
 * about 1 inside the training data, larger outside.
 */
export class LocalOutlierFactorDetector implements AnomalyDetector {
  readonly name = 'lof';
  private model: { train: Float64Array[]; kDistance: Float64Array; lrd: Float64Array; k: number } | null = null;

  constructor(private readonly neighbours = 20) {
    if (!(Number.isInteger(neighbours) && neighbours >= 1)) throw new RangeError(`LocalOutlierFactor: neighbours must be a positive integer, got ${neighbours}`);
  }

  fit(train: Vectors): this {
    checkSamples(train, 'LocalOutlierFactor.fit');
    if (train.length < 2) throw new RangeError('LocalOutlierFactor needs at least two samples');
    const data = train.map((v) => Float64Array.from(v));
    const k = Math.min(this.neighbours, data.length - 1);
    const hoods = data.map((x, i) => nearest(data, x, k, i));
    const kDistance = Float64Array.from(hoods, (h) => h.dist[k - 1] as number);
    const lrd = Float64Array.from(hoods, (h) => localReachabilityDensity(h, kDistance));
    this.model = { train: data, kDistance, lrd, k };
    return this;
  }

  score(samples: Vectors): Float64Array {
    const m = requireFitted(this.model, 'LocalOutlierFactor');
    checkSamples(samples, 'LocalOutlierFactor.score', m.train[0]?.length);
    return Float64Array.from(samples, (x) => {
      const h = nearest(m.train, x, m.k);
      const own = localReachabilityDensity(h, m.kDistance);
      let neighbourLrd = 0;
      for (const i of h.index) neighbourLrd += m.lrd[i] as number;
      return neighbourLrd / h.index.length / own;
    });
  }
}

/** 1 / mean reachability distance; the 1e-10 (as in scikit-learn) keeps duplicates finite. */
function localReachabilityDensity(h: { index: Int32Array; dist: Float64Array }, kDistance: Float64Array): number {
  let s = 0;
  h.index.forEach((o, j) => (s += Math.max(h.dist[j] as number, kDistance[o] as number)));
  return 1 / (s / h.index.length + 1e-10);
}
