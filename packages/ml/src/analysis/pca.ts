import { checkSamples, requireFitted, type AnomalyDetector } from './anomaly-detector';
import { eigenSymmetric } from './eigen-symmetric';
import { covarianceMatrix, meanVector } from './gaussian';
import type { Matrix, Vectors } from './matrix';

/** A fitted principal component projection. */
export interface PcaModel {
  mean: Float64Array;
  /** k x d, each row a unit principal axis, by decreasing variance. */
  components: Float64Array[];
  /** Variance along each axis (eigenvalues of the n - 1 covariance). */
  explainedVariance: Float64Array;
  whiten: boolean;
}

/**
 * Fits PCA with k components. With more features than samples (4096 pixels, ~600 images) it
 * decomposes the n x n Gram matrix instead of the d x d covariance: same axes, far less work.
 */
export function fitPca(train: Vectors, k: number, options: { whiten?: boolean } = {}): PcaModel {
  const d = checkSamples(train, 'fitPca');
  const n = train.length;
  if (n < 2) throw new RangeError('fitPca needs at least two samples');
  const kk = Math.min(k, d, n - 1);
  const mean = meanVector(train);
  const components: Float64Array[] = [];
  const explainedVariance = new Float64Array(kk);
  if (d <= n) {
    const { values, vectors } = eigenSymmetric(covarianceMatrix(train, {}, mean));
    for (let c = 0; c < kk; c++) {
      explainedVariance[c] = Math.max(0, values[c] as number);
      components.push(Float64Array.from({ length: d }, (_, j) => vectors.data[j * d + c] as number));
    }
  } else {
    const centred = train.map((v) => Float64Array.from({ length: d }, (_, j) => (v[j] as number) - (mean[j] as number)));
    const gram = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      const a = centred[i] as Float64Array;
      for (let j = i; j < n; j++) {
        const b = centred[j] as Float64Array;
        let s = 0;
        for (let t = 0; t < d; t++) s += (a[t] as number) * (b[t] as number);
        gram[i * n + j] = s;
        gram[j * n + i] = s;
      }
    }
    const { values, vectors } = eigenSymmetric({ rows: n, cols: n, data: gram });
    for (let c = 0; c < kk; c++) {
      const lambda = Math.max(0, values[c] as number);
      explainedVariance[c] = lambda / (n - 1);
      const axis = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        const u = vectors.data[i * n + c] as number;
        const row = centred[i] as Float64Array;
        for (let t = 0; t < d; t++) axis[t] = (axis[t] as number) + u * (row[t] as number);
      }
      const norm = Math.sqrt(lambda);
      for (let t = 0; t < d; t++) axis[t] = norm > 0 ? (axis[t] as number) / norm : 0;
      components.push(axis);
    }
  }
  return { mean, components, explainedVariance, whiten: options.whiten ?? false };
}

/** PCA with k components from a mean and an (n - 1) covariance computed elsewhere (e.g. streamed over more samples than fit in an array of vectors). */
export function pcaFromCovariance(mean: Float64Array, covariance: Matrix, k: number): PcaModel {
  const d = mean.length;
  if (covariance.rows !== d || covariance.cols !== d) throw new RangeError(`pcaFromCovariance: covariance is ${covariance.rows}x${covariance.cols}, mean has ${d} values`);
  const kk = Math.min(k, d);
  const { values, vectors } = eigenSymmetric(covariance);
  const explainedVariance = Float64Array.from({ length: kk }, (_, c) => Math.max(0, values[c] as number));
  const components = Array.from({ length: kk }, (_, c) => Float64Array.from({ length: d }, (_, j) => vectors.data[j * d + c] as number));
  return { mean, components, explainedVariance, whiten: false };
}

/** Projects samples onto the fitted axes (divided by the axis' standard deviation when whitening). */
export function pcaTransform(model: PcaModel, samples: Vectors): Float64Array[] {
  const d = checkSamples(samples, 'pcaTransform', model.mean.length);
  return samples.map((v) =>
    Float64Array.from(model.components, (axis, c) => {
      let s = 0;
      for (let t = 0; t < d; t++) s += ((v[t] as number) - (model.mean[t] as number)) * (axis[t] as number);
      const sd = Math.sqrt(model.explainedVariance[c] as number);
      return model.whiten ? (sd > 0 ? s / sd : 0) : s;
    }),
  );
}

/** Maps projected coordinates back to the input space. */
export function pcaInverseTransform(model: PcaModel, projected: Vectors): Float64Array[] {
  return projected.map((p) => {
    const out = Float64Array.from(model.mean);
    model.components.forEach((axis, c) => {
      const coef = (p[c] as number) * (model.whiten ? Math.sqrt(model.explainedVariance[c] as number) : 1);
      for (let t = 0; t < out.length; t++) out[t] = (out[t] as number) + coef * (axis[t] as number);
    });
    return out;
  });
}

/** PCA as a detector: the anomaly score is the squared reconstruction error from k components. */
export class PcaReconstructionDetector implements AnomalyDetector {
  readonly name = 'pca';
  private model: PcaModel | null = null;

  constructor(private readonly components: number) {}

  fit(train: Vectors): this {
    this.model = fitPca(train, this.components);
    return this;
  }

  score(samples: Vectors): Float64Array {
    const model = requireFitted(this.model, 'PcaReconstructionDetector');
    const back = pcaInverseTransform(model, pcaTransform(model, samples));
    return Float64Array.from(samples, (v, i) => {
      const r = back[i] as Float64Array;
      let s = 0;
      for (let t = 0; t < r.length; t++) s += ((v[t] as number) - (r[t] as number)) ** 2;
      return s;
    });
  }
}
