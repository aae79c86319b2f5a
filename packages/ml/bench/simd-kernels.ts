// Micro-benchmark: the fused kernels' loops in plain JS vs WebAssembly SIMD (simd/), on
// activations of 16x32x32x32 (n = 524288, c = 32) held in a SharedArrayBuffer like the
// threaded wasm backend's heap. Each row is a whole kernel's loops (what one kernel call runs,
// copies into and out of the SIMD module's memory included); the `copy in` row is one
// Float32Array.set of the activations into that memory, for scale. Prints the median and
// the fastest of the repetitions, in ms.
// node --import tsx packages/ml/bench/simd-kernels.ts [--reps 30] [--c 32]
import { jsActivationLoops } from '../src/kernels/batch-norm-activation';
import { jsAdamLoop } from '../src/kernels/adam-update';
import type { ActivationLoops, AdamLoop } from '../src/kernels/simd/loop-contracts';
import { simdActivationLoops, simdAdamLoop } from '../src/kernels/simd/simd-loops';
import { simdUnavailableReason } from '../src/kernels/simd/simd-module';

const flag = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const reps = flag('reps', 30);
const c = flag('c', 32);
const n = 16 * 32 * 32 * c;
if (!simdActivationLoops || !simdAdamLoop) throw new Error(`no SIMD loops: ${simdUnavailableReason}`);

function shared(seed: number, scale = 1, offset = 0): Float32Array {
  const a = new Float32Array(new SharedArrayBuffer(n * 4));
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = (s / 2 ** 32 - 0.5) * scale + offset;
  }
  return a;
}
const [x, dy, y, g, m] = [shared(1, 4, 1), shared(2), shared(3), shared(4, 0.01), shared(5, 0.001)];
const v = shared(6, 1e-5, 1e-5);
const [out1, out2, out3] = [shared(7), shared(8), shared(9)];
const perC = (seed: number) => Float32Array.from({ length: c }, (_, k) => 0.5 + ((k * 7 + seed) % 11) / 11);
const [gamma, beta, ca, cb, cc] = [perC(1), perC(2), perC(3), perC(4), perC(5)];

// The kernels' loop sequences, as batch-norm-activation.ts and adam-update.ts run them.
function bnForward(L: ActivationLoops) {
  const s = new Float64Array(c);
  const q = new Float64Array(c);
  try {
    const xs = L.stage(x);
    L.channelSums(xs, c, s, q);
    L.affineAct(xs, gamma, beta, 0.2, out1);
  } finally {
    L.release();
  }
}
function bnBackward(L: ActivationLoops) {
  const sd = new Float64Array(c);
  const sdx = new Float64Array(c);
  try {
    const [dys, xs, ys] = [L.stage(dy), L.stage(x), L.stage(y)];
    L.gradSums(dys, ys, xs, 0.2, c, sd, sdx);
    L.bnGradDx(dys, ys, xs, ca, cb, cc, 0.2, out1);
  } finally {
    L.release();
  }
}
const attrs = { stepSize: 2e-4, beta1: 0.5, beta2: 0.999, epsilon: 1e-8 };
const cases: [string, (L: ActivationLoops, A: AdamLoop) => void][] = [
  ['channelSums', (L) => L.channelSums(x, c, new Float64Array(c), new Float64Array(c))],
  ['affineAct', (L) => L.affineAct(x, gamma, beta, 0.2, out1)],
  ['gradSums', (L) => L.gradSums(dy, y, x, 0.2, c, new Float64Array(c), new Float64Array(c))],
  ['bnGradDx', (L) => L.bnGradDx(dy, y, x, ca, cb, cc, 0.2, out1)],
  ['BatchNormAct (fwd kernel)', bnForward],
  ['BatchNormActGrad (bwd kernel)', bnBackward],
  ['BiasAct', (L) => L.biasActForward(x, beta, 0.2, out1)],
  ['BiasActGrad', (L) => L.biasActBackward(dy, y, 0.2, out1, new Float32Array(c))],
  ['Adam (n elements)', (_, A) => A(x, g, m, v, attrs, out1, out2, out3)],
];

function time(f: () => void): string {
  for (let i = 0; i < 3; i++) f();
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    f();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return `${ms[ms.length >> 1]!.toFixed(3)} (min ${ms[0]!.toFixed(3)})`;
}

console.log(`n = ${n} (16x32x32x${c}), ${reps} repetitions; ms median (min)`);
const scratch = new Float32Array(n);
console.log(`${'copy in (Float32Array.set)'.padEnd(30)} ${time(() => scratch.set(x))}`);
console.log(`${'kernel'.padEnd(30)} ${'JS'.padEnd(22)} SIMD`);
for (const [name, f] of cases) {
  const js = time(() => f(jsActivationLoops, jsAdamLoop));
  const simd = time(() => f(simdActivationLoops!, simdAdamLoop!));
  console.log(`${name.padEnd(30)} ${js.padEnd(22)} ${simd}`);
}
