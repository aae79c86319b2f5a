// Research dump (docs/results/notebook.md round 3): D's intermediate feature maps of every image of a
// folder dataset for a trained model, as raw float32 files plus an index JSON, so that local
// density variants can be compared offline before one is built into the library.
// Run: node --import tsx research/dump-feature-maps.ts MODEL_DIR OUT_DIR
import * as tf from '@tensorflow/tfjs';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { listFolderDataset, loadFolderDataset } from '@gansight/imaging';
import { loadInspectionModel, selectBackend } from '@gansight/ml';
import { BN_EPSILON } from '@gansight/ml/research';
const [dir, out] = [process.argv[2]!, process.argv[3]!];
await mkdir(out, { recursive: true });
await selectBackend('wasm', undefined, { threads: 1 });
const model = await loadInspectionModel({ read: async (n) => new Uint8Array(await readFile(join(dir, n))), write: async () => undefined });
const { size, channels } = model.dcgan.config;
const intensity = (model.hyper.intensity as 'raw' | 'per-image' | undefined) ?? 'raw';
const valNames = new Set(model.hyper.validationImages as string[]);
const items = await listFolderDataset(process.env.DATA ?? '../shared/data/magnetic-tile');
const { loaded } = await loadFolderDataset(items, { size, channels: channels as 1, mode: 'resize', intensity, concurrency: 4 });
const d = model.dcgan.discriminator;
function maps(x: tf.Tensor4D): tf.Tensor4D[] {
  const outs: tf.Tensor4D[] = [];
  let h = tf.leakyRelu(tf.add(tf.conv2d(x, d.inFilter as tf.Tensor4D, 2, 'same'), d.inBias), 0.2) as tf.Tensor4D;
  outs.push(h);
  for (const b of d.blocks) {
    h = tf.conv2d(h, b.filter as tf.Tensor4D, 2, 'same');
    h = tf.leakyRelu(tf.batchNorm4d(h, b.bn.movingMean as tf.Tensor1D, b.bn.movingVar as tf.Tensor1D, b.bn.beta as tf.Tensor1D, b.bn.gamma as tf.Tensor1D, BN_EPSILON), 0.2) as tf.Tensor4D;
    outs.push(h);
  }
  return outs;
}
const chunks: Float32Array[][] = [];
for (let b = 0; b < loaded.length; b += 64) {
  const batch = loaded.slice(b, b + 64);
  const arr = tf.tidy(() => maps(tf.tensor4d(Float32Array.from(batch.flatMap((l) => Array.from(l.image.data))), [batch.length, size, size, channels])).map((m) => m.dataSync() as Float32Array));
  chunks.push(arr);
}
const shapes: number[][] = [];
const probe = tf.tidy(() => maps(tf.zeros([1, size, size, channels])).map((m) => m.shape.slice(1)));
for (let l = 0; l < probe.length; l++) {
  const total = chunks.reduce((s, c) => s + c[l]!.length, 0);
  const all = new Float32Array(total); let o = 0;
  for (const c of chunks) { all.set(c[l]!, o); o += c[l]!.length; }
  await writeFile(join(out, `layer${l}.f32`), Buffer.from(all.buffer));
  shapes.push(probe[l]!);
}
await writeFile(join(out, 'images.f32'), Buffer.from(Float32Array.from(loaded.flatMap((l) => Array.from(l.image.data))).buffer));
const masks = new Uint8Array(loaded.length * size * size);
loaded.forEach((l, i) => { if (l.mask) masks.set(l.mask, i * size * size); });
await writeFile(join(out, 'masks.u8'), masks);
await writeFile(join(out, 'index.json'), JSON.stringify({
  shapes, size,
  items: loaded.map((l) => ({ name: l.path.split('/').slice(-2).join('/'), split: l.split, defectType: l.defectType, validation: l.split === 'train' && valNames.has(l.path.split('/').pop()!) })),
}));
console.log('dumped', loaded.length, shapes);
