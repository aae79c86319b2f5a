// The patch nearest-neighbour baseline of ../shared/data/README.md ("A stronger baseline"):
// small patches of each image (read at a short side of 128 px by the caller), each standardised
// on its own, projected by PCA fitted on the training patches; a patch scores its distance to
// the nearest training patch, an image its worst patch. A detector that loses to it is not done.
import { nearestSquaredDistance, buildNearestNeighbourIndex, type NearestNeighbourIndex } from './nearest-neighbour-index';
import { pcaFromCovariance, type PcaModel } from './pca';

/** Pixels interleaved HWC, any range (the repo's images are in [-1, 1]); sizes may differ per image. */
export interface PatchImage {
  width: number;
  height: number;
  channels: number;
  data: ArrayLike<number>;
}

export interface PatchNearestNeighbourOptions {
  /** Patch side in pixels (default 16). */
  patch?: number;
  /** Step between patches (default 8). */
  stride?: number;
  /** PCA dimensions (default 24). */
  components?: number;
  /**
   * Added to each patch's standard deviation before dividing (default 0.1, in the [-1, 1] pixel
   * units of @gansight/imaging: the README's 0.05 on pixels in [0, 1]), so flat patches are not
   * blown up into noise.
   */
  epsilon?: number;
}

export interface PatchNearestNeighbourModel {
  patch: number;
  stride: number;
  epsilon: number;
  pca: PcaModel;
  /** Every training patch, projected; groups are training image indices. */
  index: NearestNeighbourIndex;
  /** Each training image scored against the patches of the other training images. */
  trainScores: Float64Array;
}

const DEFAULTS = { patch: 16, stride: 8, components: 24, epsilon: 0.1 };

/** Top-left corners of the patches cut at `stride` (the last row and column may leave a margin uncut, as numpy slicing does). */
export function patchOrigins(width: number, height: number, patch: number, stride: number): Array<[number, number]> {
  if (width < patch || height < patch) throw new RangeError(`a ${width}x${height} image is smaller than one ${patch}x${patch} patch`);
  const out: Array<[number, number]> = [];
  for (let y = 0; y + patch <= height; y += stride) for (let x = 0; x + patch <= width; x += stride) out.push([x, y]);
  return out;
}

/** The image's patches, each standardised to mean 0 and divided by (its standard deviation + epsilon). */
export function standardisedPatches(image: PatchImage, patch: number, stride: number, epsilon: number): Float32Array[] {
  const { width, channels, data } = image;
  if (data.length !== width * image.height * channels) throw new RangeError(`image data has ${data.length} values, expected ${width}x${image.height}x${channels}`);
  const rowLength = patch * channels;
  return patchOrigins(width, image.height, patch, stride).map(([x0, y0]) => {
    const v = new Float32Array(patch * rowLength);
    let sum = 0;
    for (let y = 0; y < patch; y++) {
      const from = ((y0 + y) * width + x0) * channels;
      for (let k = 0; k < rowLength; k++) sum += (v[y * rowLength + k] = data[from + k] as number);
    }
    const mean = sum / v.length;
    let ss = 0;
    for (let k = 0; k < v.length; k++) ss += ((v[k] as number) - mean) ** 2;
    const scale = 1 / (Math.sqrt(ss / v.length) + epsilon);
    for (let k = 0; k < v.length; k++) v[k] = ((v[k] as number) - mean) * scale;
    return v;
  });
}

/**
 * PCA of the training patches. The covariance is accumulated four patches at a time: each
 * d x d entry is read and written once per four patches, about four times faster than one by
 * one for 180,000 patches of 256 values.
 */
function fitPatchPca(patches: Float32Array[], k: number): PcaModel {
  const n = patches.length;
  const d = (patches[0] as Float32Array).length;
  const mean = new Float64Array(d);
  for (const p of patches) for (let t = 0; t < d; t++) mean[t] = (mean[t] as number) + (p[t] as number);
  for (let t = 0; t < d; t++) mean[t] = (mean[t] as number) / n;
  const cov = new Float64Array(d * d);
  const block = Array.from({ length: 4 }, () => new Float64Array(d));
  for (let s = 0; s < n; s += 4) {
    for (let b = 0; b < 4; b++) {
      const p = patches[s + b];
      const c = block[b] as Float64Array;
      for (let t = 0; t < d; t++) c[t] = p ? (p[t] as number) - (mean[t] as number) : 0; // past the end: zeros add nothing
    }
    const [a0, a1, a2, a3] = block as [Float64Array, Float64Array, Float64Array, Float64Array];
    for (let i = 0; i < d; i++) {
      const x0 = a0[i] as number, x1 = a1[i] as number, x2 = a2[i] as number, x3 = a3[i] as number;
      const row = i * d;
      for (let j = i; j < d; j++) cov[row + j] = (cov[row + j] as number) + x0 * (a0[j] as number) + x1 * (a1[j] as number) + x2 * (a2[j] as number) + x3 * (a3[j] as number);
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const v = (cov[i * d + j] as number) / (n - 1);
      cov[i * d + j] = v;
      cov[j * d + i] = v;
    }
  }
  return pcaFromCovariance(mean, { rows: d, cols: d, data: cov }, k);
}

/** Projects patches onto the PCA axes, laid end to end (count x k) for the index. */
function project(pca: PcaModel, patches: Float32Array[]): Float64Array {
  const k = pca.components.length;
  const d = pca.mean.length;
  const out = new Float64Array(patches.length * k);
  const centred = new Float64Array(d);
  patches.forEach((p, i) => {
    for (let t = 0; t < d; t++) centred[t] = (p[t] as number) - (pca.mean[t] as number);
    for (let c = 0; c < k; c++) {
      const axis = pca.components[c] as Float64Array;
      let s = 0;
      for (let t = 0; t < d; t++) s += (centred[t] as number) * (axis[t] as number);
      out[i * k + c] = s;
    }
  });
  return out;
}

/**
 * Exact max over the patches of each one's nearest distance. Patches far from the training mean
 * go first, so the running maximum rises early; a later patch stops searching as soon as it
 * finds a training patch within that maximum, since it can no longer raise it.
 */
function worstPatchDistance(index: NearestNeighbourIndex, projected: Float64Array, excludeGroup?: number): number {
  const k = index.dim;
  const count = projected.length / k;
  const norms = Float64Array.from({ length: count }, (_, i) => {
    let s = 0;
    for (let c = 0; c < k; c++) s += (projected[i * k + c] as number) ** 2;
    return s;
  });
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => (norms[b] as number) - (norms[a] as number));
  let worst = 0;
  for (const i of order) {
    const d = nearestSquaredDistance(index, projected.subarray(i * k, (i + 1) * k), { excludeGroup, stopAtOrBelow: worst });
    if (d > worst) worst = d;
  }
  return Math.sqrt(worst);
}

/** Cuts, standardises and indexes the training images' patches; scores each training image against the others. */
export function fitPatchNearestNeighbour(train: PatchImage[], options: PatchNearestNeighbourOptions = {}): PatchNearestNeighbourModel {
  const { patch, stride, components, epsilon } = { ...DEFAULTS, ...options };
  if (train.length < 2) throw new RangeError('the patch nearest-neighbour baseline needs at least two training images');
  const perImage = train.map((img) => standardisedPatches(img, patch, stride, epsilon));
  const pca = fitPatchPca(perImage.flat(), components);
  const k = pca.components.length;
  const projected = perImage.map((p) => project(pca, p));
  const total = projected.reduce((s, p) => s + p.length, 0);
  const all = new Float64Array(total);
  const groups = new Int32Array(total / k);
  let at = 0;
  projected.forEach((p, g) => {
    all.set(p, at);
    groups.fill(g, at / k, (at + p.length) / k);
    at += p.length;
  });
  const index = buildNearestNeighbourIndex(all, k, groups);
  // Leave one image out: an image's own patches would give it a score of 0.
  const trainScores = Float64Array.from(projected, (p, g) => worstPatchDistance(index, p, g));
  return { patch, stride, epsilon, pca, index, trainScores };
}

/** Each image's score: the distance of its worst patch to the nearest training patch. */
export function scorePatchNearestNeighbour(model: PatchNearestNeighbourModel, images: PatchImage[]): Float64Array {
  return Float64Array.from(images, (img) => worstPatchDistance(model.index, project(model.pca, standardisedPatches(img, model.patch, model.stride, model.epsilon))));
}

/** Every patch's distance to its nearest training patch, in patchOrigins order (for maps and checks; no early stop). */
export function patchDistances(model: PatchNearestNeighbourModel, image: PatchImage): Float64Array {
  const projected = project(model.pca, standardisedPatches(image, model.patch, model.stride, model.epsilon));
  const k = model.index.dim;
  return Float64Array.from({ length: projected.length / k }, (_, i) => Math.sqrt(nearestSquaredDistance(model.index, projected.subarray(i * k, (i + 1) * k))));
}
