import { checkSamples, requireFitted, type AnomalyDetector } from './anomaly-detector';
import { squaredDistance, type Vectors } from './matrix';

export interface OneClassSvmOptions {
  /** Upper bound on the training outlier fraction and lower bound on the support-vector fraction (scikit-learn default 0.5). */
  nu?: number;
  /** RBF width; 'scale' = 1 / (d * var(X)) as scikit-learn computes it. */
  gamma?: number | 'scale';
  /** Stopping tolerance on the maximal KKT violation (libsvm's eps, default 1e-3). */
  tolerance?: number;
  maxIterations?: number;
}

/**
 * One-class SVM (Schoelkopf's nu formulation, RBF kernel) solved by SMO with libsvm's
 * second-order working-set selection, so it reaches the same solution as scikit-learn.
 * Score = rho - sum_i alpha_i K(x_i, x): positive outside the learned support.
 */
export class OneClassSvmDetector implements AnomalyDetector {
  readonly name = 'ocsvm';
  private model: { support: Float64Array[]; alpha: Float64Array; rho: number; gamma: number } | null = null;
  iterations = 0;
  private readonly o: Required<OneClassSvmOptions>;

  constructor(options: OneClassSvmOptions = {}) {
    this.o = { nu: 0.5, gamma: 'scale', tolerance: 1e-3, maxIterations: 1_000_000, ...options };
    if (!(this.o.nu > 0 && this.o.nu <= 1)) throw new RangeError(`OneClassSvm: nu must be in (0, 1], got ${this.o.nu}`);
  }

  fit(train: Vectors): this {
    const d = checkSamples(train, 'OneClassSvm.fit');
    const n = train.length;
    const gamma = this.o.gamma === 'scale' ? scaleGamma(train, d) : this.o.gamma;
    const K = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      K[i * n + i] = 1;
      for (let j = 0; j < i; j++) {
        const v = Math.exp(-gamma * squaredDistance(train[i] as ArrayLike<number>, train[j] as ArrayLike<number>));
        K[i * n + j] = v;
        K[j * n + i] = v;
      }
    }
    // libsvm's start: the first floor(nu n) alphas at the bound 1, one fractional, sum = nu n.
    const alpha = new Float64Array(n);
    const total = this.o.nu * n;
    const full = Math.floor(total);
    for (let i = 0; i < Math.min(full, n); i++) alpha[i] = 1;
    if (full < n) alpha[full] = total - full;
    const G = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const a = alpha[i] as number;
      if (a === 0) continue;
      for (let t = 0; t < n; t++) G[t] = (G[t] as number) + a * (K[i * n + t] as number);
    }
    let iter = 0;
    for (; iter < this.o.maxIterations; iter++) {
      // i: most violating index that may grow (alpha < 1), smallest gradient.
      let i = -1;
      let gmax = -Infinity;
      for (let t = 0; t < n; t++) {
        if ((alpha[t] as number) < 1 && -(G[t] as number) >= gmax) {
          gmax = -(G[t] as number);
          i = t;
        }
      }
      let j = -1;
      let gmin = Infinity;
      let bestObj = Infinity;
      for (let t = 0; t < n; t++) {
        if (!((alpha[t] as number) > 0)) continue;
        const g = -(G[t] as number);
        if (g < gmin) gmin = g;
        const b = gmax - g;
        if (i >= 0 && b > 0) {
          let a = (K[i * n + i] as number) + (K[t * n + t] as number) - 2 * (K[i * n + t] as number);
          if (a <= 0) a = 1e-12;
          const obj = -(b * b) / a;
          if (obj <= bestObj) {
            bestObj = obj;
            j = t;
          }
        }
      }
      if (i < 0 || j < 0 || gmax - gmin < this.o.tolerance) break;
      let a = (K[i * n + i] as number) + (K[j * n + j] as number) - 2 * (K[i * n + j] as number);
      if (a <= 0) a = 1e-12;
      let delta = ((G[j] as number) - (G[i] as number)) / a;
      delta = Math.min(delta, 1 - (alpha[i] as number), alpha[j] as number);
      alpha[i] = (alpha[i] as number) + delta;
      alpha[j] = (alpha[j] as number) - delta;
      for (let t = 0; t < n; t++) G[t] = (G[t] as number) + delta * ((K[i * n + t] as number) - (K[j * n + t] as number));
    }
    this.iterations = iter;
    const support: Float64Array[] = [];
    const weights: number[] = [];
    alpha.forEach((a, t) => {
      if (a > 0) {
        support.push(Float64Array.from(train[t] as ArrayLike<number>));
        weights.push(a);
      }
    });
    this.model = { support, alpha: Float64Array.from(weights), rho: computeRho(alpha, G), gamma };
    return this;
  }

  score(samples: Vectors): Float64Array {
    const m = requireFitted(this.model, 'OneClassSvm');
    checkSamples(samples, 'OneClassSvm.score', m.support[0]?.length);
    return Float64Array.from(samples, (x) => {
      let s = 0;
      m.support.forEach((sv, k) => (s += (m.alpha[k] as number) * Math.exp(-m.gamma * squaredDistance(sv, x))));
      return m.rho - s;
    });
  }
}

/** scikit-learn's gamma='scale': 1 / (d * variance of all entries of X). */
export function scaleGamma(train: Vectors, d: number): number {
  let sum = 0;
  let sq = 0;
  const count = train.length * d;
  for (const v of train) for (let j = 0; j < d; j++) sum += v[j] as number;
  const mean = sum / count;
  for (const v of train) for (let j = 0; j < d; j++) sq += ((v[j] as number) - mean) ** 2;
  const variance = sq / count;
  return variance > 0 ? 1 / (d * variance) : 1;
}

/** libsvm's rho: mean gradient over free alphas, or the middle of the feasible interval. */
function computeRho(alpha: Float64Array, G: Float64Array): number {
  let free = 0;
  let sum = 0;
  let ub = Infinity;
  let lb = -Infinity;
  alpha.forEach((a, t) => {
    const g = G[t] as number;
    if (a >= 1) lb = Math.max(lb, g);
    else if (a <= 0) ub = Math.min(ub, g);
    else {
      free++;
      sum += g;
    }
  });
  return free > 0 ? sum / free : (ub + lb) / 2;
}
