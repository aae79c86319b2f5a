import { checkSamples, requireFitted, type AnomalyDetector } from './anomaly-detector';
import { cholesky, forwardSubstitute } from './matrix-functions';
import { kMeans } from './k-means';
import type { Matrix, Vectors } from './matrix';
import { createRng } from './random';

export interface GaussianMixtureOptions {
  components: number;
  covariance?: 'full' | 'diag';
  /** Added to every covariance diagonal (scikit-learn's reg_covar). */
  regularisation?: number;
  maxIterations?: number;
  /** Stop when the mean log-likelihood changes less than this. */
  tolerance?: number;
  /** Independent initialisations; the one with the best likelihood is kept. */
  restarts?: number;
  seed?: number;
}

/** A fitted mixture as plain data (JSON-safe), for saving with a model. */
export interface GaussianMixtureState {
  covariance: 'full' | 'diag';
  components: { logWeight: number; mean: number[]; factor: number[]; logDet: number }[];
}

interface Component {
  logWeight: number;
  mean: Float64Array;
  /** Cholesky factor of the covariance (lower triangle, d x d); for 'diag', only the diagonal is used. */
  factor: Matrix;
  logDet: number;
}

/** Gaussian mixture by EM, initialised from k-means (k-means++ seeding) like scikit-learn's default; score = -log p(x). */
export class GaussianMixtureDetector implements AnomalyDetector {
  readonly name = 'gmm';
  private fitted: Component[] | null = null;
  /** Mean log-likelihood per training sample of the kept fit. */
  logLikelihood = -Infinity;
  iterations = 0;
  private readonly o: Required<GaussianMixtureOptions>;

  constructor(options: GaussianMixtureOptions) {
    this.o = { covariance: 'full', regularisation: 1e-6, maxIterations: 100, tolerance: 1e-3, restarts: 1, seed: 0, ...options };
  }

  fit(train: Vectors): this {
    const d = checkSamples(train, 'GaussianMixture.fit');
    if (train.length < this.o.components) throw new RangeError(`GaussianMixture: ${train.length} samples for ${this.o.components} components`);
    const rng = createRng(this.o.seed);
    for (let r = 0; r < this.o.restarts; r++) {
      const { labels } = kMeans(train, this.o.components, rng);
      const resp = train.map((_, i) => Float64Array.from({ length: this.o.components }, (_, k) => (labels[i] === k ? 1 : 0)));
      let comps = this.mStep(train, resp, d);
      let previous = -Infinity;
      let ll = -Infinity;
      let iter = 0;
      for (iter = 1; iter <= this.o.maxIterations; iter++) {
        ll = this.eStep(train, comps, resp);
        comps = this.mStep(train, resp, d);
        if (Math.abs(ll - previous) < this.o.tolerance) break;
        previous = ll;
      }
      if (ll > this.logLikelihood || this.fitted === null) {
        this.fitted = comps;
        this.logLikelihood = ll;
        this.iterations = iter;
      }
    }
    return this;
  }

  /** The fitted mixture as plain data. */
  exportState(): GaussianMixtureState {
    const comps = requireFitted(this.fitted, 'GaussianMixture');
    return {
      covariance: this.o.covariance,
      components: comps.map((c) => ({ logWeight: c.logWeight, mean: Array.from(c.mean), factor: Array.from(c.factor.data), logDet: c.logDet })),
    };
  }

  /** A fitted detector from exportState()'s data; scores exactly as the original. */
  static fromState(state: GaussianMixtureState): GaussianMixtureDetector {
    const g = new GaussianMixtureDetector({ components: state.components.length, covariance: state.covariance });
    g.fitted = state.components.map((c) => ({
      logWeight: c.logWeight, mean: Float64Array.from(c.mean), logDet: c.logDet,
      factor: { rows: c.mean.length, cols: c.mean.length, data: Float64Array.from(c.factor) },
    }));
    return g;
  }

  /** -log p(x) under the mixture for each sample. */
  score(samples: Vectors): Float64Array {
    const comps = requireFitted(this.fitted, 'GaussianMixture');
    checkSamples(samples, 'GaussianMixture.score', comps[0]?.mean.length);
    return Float64Array.from(samples, (x) => -this.logSumExp(comps.map((c) => this.logDensity(x, c))));
  }

  private logDensity(x: ArrayLike<number>, c: Component): number {
    const d = c.mean.length;
    const diff = new Float64Array(d);
    for (let j = 0; j < d; j++) diff[j] = (x[j] as number) - (c.mean[j] as number);
    let quad = 0;
    if (this.o.covariance === 'diag') {
      for (let j = 0; j < d; j++) quad += ((diff[j] as number) / (c.factor.data[j * d + j] as number)) ** 2;
    } else {
      for (const v of forwardSubstitute(c.factor, diff)) quad += v * v;
    }
    return c.logWeight - 0.5 * (d * Math.log(2 * Math.PI) + c.logDet + quad);
  }

  private logSumExp(values: number[]): number {
    const m = Math.max(...values);
    if (!Number.isFinite(m)) return m;
    let s = 0;
    for (const v of values) s += Math.exp(v - m);
    return m + Math.log(s);
  }

  /** Fills resp with posterior responsibilities; returns the mean log-likelihood. */
  private eStep(train: Vectors, comps: Component[], resp: Float64Array[]): number {
    let total = 0;
    train.forEach((x, i) => {
      const logs = comps.map((c) => this.logDensity(x, c));
      const lse = this.logSumExp(logs);
      total += lse;
      const r = resp[i] as Float64Array;
      logs.forEach((l, k) => (r[k] = Math.exp(l - lse)));
    });
    return total / train.length;
  }

  private mStep(train: Vectors, resp: Float64Array[], d: number): Component[] {
    const n = train.length;
    return Array.from({ length: this.o.components }, (_, k) => {
      let nk = 10 * Number.EPSILON;
      const mean = new Float64Array(d);
      train.forEach((x, i) => {
        const r = (resp[i] as Float64Array)[k] as number;
        nk += r;
        for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + r * (x[j] as number);
      });
      for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) / nk;
      const cov = new Float64Array(d * d);
      const diff = new Float64Array(d);
      train.forEach((x, i) => {
        const r = (resp[i] as Float64Array)[k] as number;
        if (r < 1e-300) return;
        for (let j = 0; j < d; j++) diff[j] = (x[j] as number) - (mean[j] as number);
        if (this.o.covariance === 'diag') {
          for (let a = 0; a < d; a++) cov[a * d + a] = (cov[a * d + a] as number) + r * (diff[a] as number) ** 2;
          return;
        }
        for (let a = 0; a < d; a++) {
          const ra = r * (diff[a] as number);
          for (let b = 0; b <= a; b++) cov[a * d + b] = (cov[a * d + b] as number) + ra * (diff[b] as number);
        }
      });
      for (let a = 0; a < d; a++) {
        for (let b = 0; b <= a; b++) {
          const v = (cov[a * d + b] as number) / nk + (a === b ? this.o.regularisation : 0);
          cov[a * d + b] = v;
          cov[b * d + a] = v;
        }
      }
      let factor: Matrix;
      if (this.o.covariance === 'diag') {
        factor = { rows: d, cols: d, data: new Float64Array(d * d) };
        for (let a = 0; a < d; a++) factor.data[a * d + a] = Math.sqrt(cov[a * d + a] as number);
      } else {
        factor = cholesky({ rows: d, cols: d, data: cov });
      }
      let logDet = 0;
      for (let a = 0; a < d; a++) logDet += 2 * Math.log(factor.data[a * d + a] as number);
      return { logWeight: Math.log(nk / n), mean, factor, logDet };
    });
  }
}
