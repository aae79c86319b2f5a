import { checkSamples } from './anomaly-detector';
import { squaredDistance, type Vectors } from './matrix';
import { createRng } from './random';

export interface TsneOptions {
  perplexity?: number;
  iterations?: number;
  /** Learning rate; default max(n / 12 / 4, 50) as scikit-learn's 'auto'. */
  learningRate?: number;
  earlyExaggeration?: number;
  seed?: number;
}

/** Row-wise conditional probabilities whose entropy matches log(perplexity), by bisection on the precision. */
function conditionalProbabilities(dist: Float64Array, n: number, perplexity: number): Float64Array {
  const P = new Float64Array(n * n);
  const target = Math.log(perplexity);
  for (let i = 0; i < n; i++) {
    let beta = 1;
    let lo = -Infinity;
    let hi = Infinity;
    for (let attempt = 0; attempt < 100; attempt++) {
      let sum = 0;
      let weighted = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const p = Math.exp(-(dist[i * n + j] as number) * beta);
        P[i * n + j] = p;
        sum += p;
        weighted += (dist[i * n + j] as number) * p;
      }
      if (sum === 0) sum = 1e-300;
      const entropy = Math.log(sum) + (beta * weighted) / sum;
      for (let j = 0; j < n; j++) P[i * n + j] = (P[i * n + j] as number) / sum;
      const diff = entropy - target;
      if (Math.abs(diff) < 1e-5) break;
      if (diff > 0) {
        lo = beta;
        beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
      } else {
        hi = beta;
        beta = lo === -Infinity ? beta / 2 : (beta + lo) / 2;
      }
    }
  }
  return P;
}

/**
 * Exact t-SNE (O(n^2) per iteration; meant for a few hundred points, e.g. generated vs real
 * images in pixel space). Returns one [x, y] per input; the same seed gives the same layout.
 */
export function tsne(samples: Vectors, options: TsneOptions = {}): Array<[number, number]> {
  checkSamples(samples, 'tsne');
  const n = samples.length;
  if (n < 3) throw new RangeError('tsne needs at least three samples');
  const perplexity = Math.min(options.perplexity ?? 30, (n - 1) / 3);
  const iterations = options.iterations ?? 1000;
  const eta = options.learningRate ?? Math.max(n / 12 / 4, 50);
  const exaggeration = options.earlyExaggeration ?? 12;
  const exaggerationEnd = Math.min(250, Math.floor(iterations / 4));
  const dist = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = squaredDistance(samples[i] as ArrayLike<number>, samples[j] as ArrayLike<number>);
      dist[i * n + j] = d;
      dist[j * n + i] = d;
    }
  }
  // Scale distances so the bisection starts near the answer whatever the input units are.
  let meanDist = 0;
  for (const d of dist) meanDist += d;
  meanDist /= n * (n - 1);
  if (meanDist > 0) for (let k = 0; k < dist.length; k++) dist[k] = (dist[k] as number) / meanDist;
  const Pc = conditionalProbabilities(dist, n, perplexity);
  const P = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) P[i * n + j] = Math.max(((Pc[i * n + j] as number) + (Pc[j * n + i] as number)) / (2 * n), 1e-12);
  }
  const rng = createRng(options.seed ?? 0);
  const Y = Float64Array.from({ length: n * 2 }, () => rng.normal() * 1e-4);
  const update = new Float64Array(n * 2);
  const gains = new Float64Array(n * 2).fill(1);
  const num = new Float64Array(n * n);
  const grad = new Float64Array(n * 2);
  for (let iter = 0; iter < iterations; iter++) {
    const ex = iter < exaggerationEnd ? exaggeration : 1;
    const momentum = iter < exaggerationEnd ? 0.5 : 0.8;
    let sumQ = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const dx = (Y[2 * i] as number) - (Y[2 * j] as number);
        const dy = (Y[2 * i + 1] as number) - (Y[2 * j + 1] as number);
        const q = 1 / (1 + dx * dx + dy * dy);
        num[i * n + j] = q;
        num[j * n + i] = q;
        sumQ += 2 * q;
      }
    }
    grad.fill(0);
    for (let i = 0; i < n; i++) {
      let gx = 0;
      let gy = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const q = num[i * n + j] as number;
        const mult = (ex * (P[i * n + j] as number) - q / sumQ) * q;
        gx += mult * ((Y[2 * i] as number) - (Y[2 * j] as number));
        gy += mult * ((Y[2 * i + 1] as number) - (Y[2 * j + 1] as number));
      }
      grad[2 * i] = 4 * gx;
      grad[2 * i + 1] = 4 * gy;
    }
    for (let k = 0; k < n * 2; k++) {
      const g = grad[k] as number;
      const sameSign = g > 0 === (update[k] as number) > 0;
      gains[k] = Math.max(sameSign ? (gains[k] as number) * 0.8 : (gains[k] as number) + 0.2, 0.01);
      update[k] = momentum * (update[k] as number) - eta * (gains[k] as number) * g;
      Y[k] = (Y[k] as number) + (update[k] as number);
    }
  }
  return Array.from({ length: n }, (_, i) => [Y[2 * i] as number, Y[2 * i + 1] as number]);
}
