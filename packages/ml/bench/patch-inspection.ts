// Inspection speed of a patch model: seconds per image for a magnetic tile at half scale
// (135 x 165) and a 500 x 1260 image at half scale (250 x 630), single images and batches of
// 16, with 0 and 5 inversion iterations per tile. Weights are untrained (speed does not depend
// on them). Prints one JSON line per case.
// node --import tsx packages/ml/bench/patch-inspection.ts [--model DIR] [--threads 2] [--images 16] [--stride 64] [--iterations 0,5] [--defect-map-flips 1]
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/backend/select-backend';
import { buildDcgan } from '../src/dcgan/dcgan-model';
import { buildEncoder } from '../src/pipeline/encoder';
import { DEFAULT_PATCH_SCORING } from '../src/patch/finish-patch-model';
import { buildDefectMapNet } from '../src/patch/defect-map-net';
import { measurePatchImages, patchScoring } from '../src/patch/inspect-patch-images';
import type { InspectionModel } from '../src/pipeline/inspection-model';

const arg = (name: string, d: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1]! : d; };
const backend = await selectBackend(arg('backend', 'wasm') as 'wasm', undefined, { threads: Number(arg('threads', '2')) });
const patch = Number(arg('patch', '64')) as 64;
const config = { size: patch, channels: 1, zdim: 100, nf: 32 };
const model: InspectionModel = {
  dcgan: buildDcgan(config, 0), encoder: buildEncoder(config, 0), calibration: null, hyper: {},
  patch: { scale: 0.5, patch, stride: Number(arg('stride', String(patch))), flips: true, defectMap: buildDefectMapNet({ inputChannels: 2, nf: Number(arg('defect-map-nf', '8')) }, 0),
    // As models trained with flips since ADR 0063 read the map: over the four mirrorings (--defect-map-flips 0: once).
    defectMapFlips: arg('defect-map-flips', '1') === '1' },
};
const image = (w: number, h: number) => ({ width: w, height: h, channels: 1, data: Float32Array.from({ length: w * h }, (_, i) => Math.sin(i * 0.37) * 0.5) });
const n = Number(arg('images', '16'));
for (const [name, w, h] of [['magnetic tile (half scale)', 135, 165], ['500 x 1260 (half scale)', 250, 630]] as const) {
  for (const iterations of arg('iterations', '0,5').split(',').map(Number)) {
    const o = patchScoring({ scoring: { ...DEFAULT_PATCH_SCORING, iterations } }, model.patch!);
    await measurePatchImages(model, [image(w, h)], o); // warm-up: kernels compile, buffers allocate
    let t0 = performance.now();
    await measurePatchImages(model, [image(w, h)], o);
    const single = (performance.now() - t0) / 1000;
    t0 = performance.now();
    await measurePatchImages(model, Array.from({ length: n }, () => image(w, h)), o);
    const batch = (performance.now() - t0) / 1000 / n;
    console.log(JSON.stringify({ backend: backend.kind, image: name, workingSize: `${w}x${h}`, patch, stride: model.patch!.stride, iterations, secondsSingle: +single.toFixed(3), secondsPerImageBatch: +batch.toFixed(3), batch: n, numTensors: tf.memory().numTensors }));
  }
}
process.exit(0);
