// Residual-map summaries. A defect is local: the mean residual over the whole image dilutes it
// with the generator's everywhere-small errors, so we blur the map (to suppress single-pixel
// noise) and take its maximum or the mean of its worst pixels.

/** Per-pixel residual |x - G(z)| averaged over channels: H*W values from HWC data. */
export function channelMeanMap(residual: Float32Array, height: number, width: number, channels: number): Float32Array {
  if (channels === 1) return residual.slice();
  const out = new Float32Array(height * width);
  for (let p = 0; p < out.length; p++) {
    let s = 0;
    for (let c = 0; c < channels; c++) s += residual[p * channels + c]!;
    out[p] = s / channels;
  }
  return out;
}

function kernel(sigma: number): Float32Array {
  const r = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float32Array(2 * r + 1);
  let s = 0;
  for (let i = -r; i <= r; i++) s += k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i]! /= s;
  return k;
}

/** Separable Gaussian blur with clamped borders; sigma <= 0 returns a copy. */
export function gaussianBlur(map: Float32Array, height: number, width: number, sigma: number): Float32Array {
  if (!(sigma > 0)) return map.slice();
  const k = kernel(sigma);
  const r = (k.length - 1) / 2;
  const tmp = new Float32Array(map.length);
  const out = new Float32Array(map.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let i = -r; i <= r; i++) s += k[i + r]! * map[y * width + Math.min(width - 1, Math.max(0, x + i))]!;
      tmp[y * width + x] = s;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let i = -r; i <= r; i++) s += k[i + r]! * tmp[Math.min(height - 1, Math.max(0, y + i)) * width + x]!;
      out[y * width + x] = s;
    }
  }
  return out;
}

/** Mean of the largest ceil(fraction * n) values (at least one). */
export function topKMean(values: Float32Array, fraction: number): number {
  const k = Math.max(1, Math.min(values.length, Math.ceil(fraction * values.length)));
  const sorted = Float32Array.from(values).sort();
  let s = 0;
  for (let i = sorted.length - k; i < sorted.length; i++) s += sorted[i]!;
  return s / k;
}

/** Largest value of a map. */
export function maxValue(values: Float32Array): number {
  let m = -Infinity;
  for (const v of values) if (v > m) m = v;
  return m;
}

/**
 * Band-pass residual map: |d - blur(d, 3)| blurred by `sigma`, from the signed difference
 * d = x - G(z). Removes the low-frequency brightness mismatches every inversion leaves, which
 * otherwise swamp small defects.
 */
export function highPassResidualMap(signed: Float32Array, height: number, width: number, sigma: number): Float32Array {
  const low = gaussianBlur(signed, height, width, 3);
  const hp = new Float32Array(signed.length);
  for (let i = 0; i < hp.length; i++) hp[i] = Math.abs(signed[i]! - low[i]!);
  return gaussianBlur(hp, height, width, sigma);
}

/** Per-pixel z-scores of a map against per-pixel mean and std of qualified maps. */
export function standardiseMap(map: Float32Array, mean: ArrayLike<number>, std: ArrayLike<number>): Float32Array {
  const out = new Float32Array(map.length);
  for (let i = 0; i < map.length; i++) out[i] = (map[i]! - mean[i]!) / std[i]!;
  return out;
}

/** Per-pixel mean and std over maps; the std is floored at 10% of its average so flat pixels cannot explode. */
export function pixelStatistics(maps: Float32Array[]): { mean: Float32Array; std: Float32Array } {
  const n = maps.length;
  const len = maps[0]!.length;
  const mean = new Float32Array(len);
  const std = new Float32Array(len);
  for (const m of maps) for (let i = 0; i < len; i++) mean[i]! += m[i]! / n;
  for (const m of maps) for (let i = 0; i < len; i++) std[i]! += (m[i]! - mean[i]!) ** 2 / Math.max(1, n - 1);
  let avg = 0;
  for (let i = 0; i < len; i++) avg += (std[i] = Math.sqrt(std[i]!)) / len;
  for (let i = 0; i < len; i++) std[i] = Math.max(std[i]!, 0.1 * avg, 1e-6);
  return { mean, std };
}
