// Research proxy for preprocessing choices on a folder dataset (docs/adr/0010): PCA(50) as a
// linear stand-in for the generator, so a preprocessing variant costs seconds, not a GAN
// training. Per variant it prints image AUROC of the PCA reconstruction residual (mean, max
// and top-2% of the blurred map), of PCA + 6-component GMM (the Table III baseline) and of a
// single Gaussian, on all test images and on two fixed, stratified halves ("tune" to choose
// on, "hold" to report), so choices made here can be checked on images they did not see.
// Variants: 'squash' (the product's resize mode) or 'tiles' (aspect kept, short side to
// SIZE, square tiles along the long side, image score = max over tiles); raw or per-image
// standardised intensity (the same formula as @gansight/imaging's standardiseIntensity).
// Run: node --import tsx research/preprocessing-proxy.ts SIZE squash,tiles false,true
import sharp from 'sharp';
import { readdirSync } from 'node:fs';
import { standardiseIntensity } from '@gansight/imaging';
import { fitPca, pcaTransform, pcaInverseTransform, auroc, GaussianMixtureDetector } from '@gansight/ml';
import { gaussianBlur, topKMean, maxValue } from '@gansight/ml/research';
const root = process.env.DATA ?? '../shared/data/magnetic-tile';
type Raw = { w: number; h: number; px: Uint8Array; type: string; split: string; file: string };
const raws: Raw[] = [];
for (const d of ['train/good', 'test/good', 'test/blowhole', 'test/break', 'test/crack', 'test/fray', 'test/uneven']) {
  for (const f of readdirSync(`${root}/${d}`).sort()) {
    const { data, info } = await sharp(`${root}/${d}/${f}`).grayscale().raw().toBuffer({ resolveWithObject: true });
    raws.push({ w: info.width, h: info.height, px: new Uint8Array(data), type: d.split('/')[1]!, split: d.split('/')[0]!, file: f });
  }
}
async function resize(r: Raw, w: number, h: number): Promise<Float32Array> {
  const { data } = await sharp(Buffer.from(r.px), { raw: { width: r.w, height: r.h, channels: 1 } }).resize(w, h, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
  return Float32Array.from(data, (v) => v / 127.5 - 1);
}
const normalise = standardiseIntensity;
async function views(r: Raw, S: number, mode: string, norm: boolean): Promise<Float32Array[]> {
  if (mode === 'squash') { const x = await resize(r, S, S); return [norm ? normalise(x) : x]; }
  const W = r.w <= r.h ? S : Math.round(S * r.w / r.h), H = r.w <= r.h ? Math.round(S * r.h / r.w) : S;
  let full = await resize(r, W, H);
  if (norm) full = normalise(full);
  const L = Math.max(W, H); const n = Math.ceil(L / S - 0.15);
  const out: Float32Array[] = [];
  for (let k = 0; k < n; k++) {
    const off = n === 1 ? Math.floor((L - S) / 2) : Math.round(k * (L - S) / (n - 1));
    const t = new Float32Array(S * S);
    for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) t[y * S + x] = W >= H ? full[y * W + x + off]! : full[(y + off) * W + x]!;
    out.push(t);
  }
  return out;
}
// stratified half split of test: tune / holdout
let seed = 12345; const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const half = new Map<Raw, 'tune' | 'hold'>();
for (const t of ['good', 'blowhole', 'break', 'crack', 'fray', 'uneven']) {
  const items = raws.filter((r) => r.split === 'test' && r.type === t).map((r) => ({ r, k: rnd() })).sort((a, b) => a.k - b.k);
  items.forEach((e, i) => half.set(e.r, i % 2 === 0 ? 'tune' : 'hold'));
}
const S = Number(process.argv[2] ?? 64);
for (const mode of (process.argv[3] ?? 'squash,tiles').split(',')) for (const norm of (process.argv[4] ?? 'false,true').split(',').map((v) => v === 'true')) {
  const t0 = Date.now();
  const trainViews: Float32Array[] = [];
  for (const r of raws.filter((r) => r.split === 'train')) trainViews.push(...(await views(r, S, mode, norm)));
  const pca = fitPca(trainViews, 50);
  const gmm = new GaussianMixtureDetector({ components: 6, restarts: 2, seed: 0 }).fit(pcaTransform(pca, trainViews));
  const g1 = new GaussianMixtureDetector({ components: 1, restarts: 1, seed: 0 }).fit(pcaTransform(pca, trainViews));
  const test = raws.filter((r) => r.split === 'test');
  const scores: Record<string, number[]> = { mean: [], max: [], top: [], gmm: [], g1: [] };
  for (const r of test) {
    const v = await views(r, S, mode, norm);
    const p = pcaTransform(pca, v); const rec = pcaInverseTransform(pca, p);
    const g = gmm.score(p);
    let mean = -Infinity, mx = -Infinity, top = -Infinity;
    v.forEach((x, i) => {
      const res = Float32Array.from(x, (a, j) => Math.abs(a - rec[i]![j]!));
      const b = gaussianBlur(res, S, S, S / 32);
      mean = Math.max(mean, res.reduce((s, a) => s + a, 0) / res.length); mx = Math.max(mx, maxValue(b)); top = Math.max(top, topKMean(b, 0.02));
    });
    scores.mean!.push(mean); scores.max!.push(mx); scores.top!.push(top); scores.gmm!.push(Math.max(...g)); scores.g1!.push(Math.max(...g1.score(p)));
  }
  const lab = test.map((r) => (r.type === 'good' ? 0 : 1));
  const sub = (which: string, s: number[]) => { const idx = test.map((r, i) => (half.get(r) === which ? i : -1)).filter((i) => i >= 0); return auroc(idx.map((i) => s[i]!), idx.map((i) => lab[i]!)); };
  const row = Object.entries(scores).map(([k, s]) => `${k} ${auroc(s, lab).toFixed(3)} (tune ${sub('tune', s).toFixed(3)} hold ${sub('hold', s).toFixed(3)})`).join(' | ');
  console.log(`S=${S} ${mode} norm=${norm} trainviews=${trainViews.length}: ${row}  [${((Date.now() - t0) / 1000).toFixed(0)}s]`);
}
