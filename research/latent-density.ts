// Research check (docs/results/notebook.md): does a multi-modal density (PCA + GMM) on a trained model's
// encoder latents E(x) or D's last features separate better than the single latent Gaussian?
// Same stratified tune/hold halves of test/ as preprocessing-proxy.ts.
// Run: node --import tsx research/latent-density.ts MODEL_DIR
import * as tf from '@tensorflow/tfjs';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listFolderDataset, loadFolderDataset } from '@gansight/imaging';
import { loadInspectionModel, selectBackend, encoderForward, discriminatorFeatures, fitPca, pcaTransform, auroc, GaussianMixtureDetector } from '@gansight/ml';
const dir = process.argv[2]!;
await selectBackend('wasm', undefined, { threads: 1 });
const model = await loadInspectionModel({ read: async (n) => new Uint8Array(await readFile(join(dir, n))), write: async () => undefined });
const { size, channels } = model.dcgan.config;
const intensity = (model.hyper.intensity as 'raw' | 'per-image' | undefined) ?? 'raw';
const dataDir = process.env.DATA ?? '../shared/data/magnetic-tile';
const items = await listFolderDataset(dataDir);
const { loaded } = await loadFolderDataset(items, { size, channels: channels as 1, mode: 'resize', intensity, concurrency: 4 });
const train = loaded.filter((l) => l.split === 'train'); const test = loaded.filter((l) => l.split === 'test');
function feats(list: typeof loaded) {
  const lat: Float64Array[] = [], df: Float64Array[] = [];
  for (let b = 0; b < list.length; b += 64) {
    const batch = list.slice(b, b + 64);
    const x = tf.tensor4d(Float32Array.from(batch.flatMap((l) => Array.from(l.image.data))), [batch.length, size, size, channels]);
    const z = encoderForward(model.encoder!, x); const f = discriminatorFeatures(model.dcgan.discriminator, x);
    const zs = z.arraySync() as number[][]; const fs = f.arraySync() as number[][];
    zs.forEach((r) => lat.push(Float64Array.from(r))); fs.forEach((r) => df.push(Float64Array.from(r)));
    tf.dispose([x, z, f]);
  }
  return { lat, df };
}
const tr = feats(train), te = feats(test);
const lab = test.map((t) => (t.label === 'defect' ? 1 : 0));
// The tune/hold halves of preprocessing-proxy.ts: per type, file names sorted, one seeded stream.
let seed = 12345; const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const halfOf = new Map<string, string>();
for (const t of ['good', 'blowhole', 'break', 'crack', 'fray', 'uneven']) {
  const order = readdirSync(join(dataDir, 'test', t)).sort().map((f) => ({ f, k: rnd() })).sort((a, b) => a.k - b.k);
  order.forEach((e, j) => halfOf.set(`${t}/${e.f}`, j % 2 === 0 ? 'tune' : 'hold'));
}
const half = test.map((x) => halfOf.get(x.path.split('/').slice(-2).join('/'))!);
const sub = (w: string, s: ArrayLike<number>) => { const ix = lab.map((_, i) => i).filter((i) => half[i] === w); return auroc(ix.map((i) => s[i]!), ix.map((i) => lab[i]!)); };
for (const [name, a, b] of [['latent', tr.lat, te.lat], ['dfeat', tr.df, te.df]] as const) {
  for (const k of [10, 20, 50]) for (const comps of [1, 6]) {
    const pca = fitPca(a as Float64Array[], k);
    const g = new GaussianMixtureDetector({ components: comps, restarts: 2, seed: 0 }).fit(pcaTransform(pca, a as Float64Array[]));
    const s = g.score(pcaTransform(pca, b as Float64Array[]));
    console.log(`${name} pca${k} gmm${comps}: ${auroc(s, lab).toFixed(3)} (tune ${sub('tune', s).toFixed(3)} hold ${sub('hold', s).toFixed(3)})`);
  }
}
