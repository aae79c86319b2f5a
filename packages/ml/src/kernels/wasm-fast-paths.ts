// Replacements for two wasm kernels whose shipped versions cost a DCGAN training step ~20 ms
// (packages/ml/bench/profile-train-step.ts):
// - Identity copied the whole buffer. The engine clones every tensor a gradient needs
//   (~380 clones per step); tensors are immutable (a variable's assign swaps its dataId), so
//   a clone can share the data and take one more reference, as the cpu backend's does.
// - BatchMatMul with transposeA runs a scalar loop in the wasm core (9.5 ms for the 16x100 by
//   16x4096 weight gradient of G's dense layer); transposing A first and taking the XNNPACK
//   path costs well under a millisecond.
import * as tf from '@tensorflow/tfjs';

type WasmBackend = tf.KernelBackend & { incRef(dataId: tf.DataId): void; disposeData(dataId: tf.DataId): boolean };

const REPLACED = Symbol.for('gansight.fast-path');
type Config = tf.KernelConfig & { [REPLACED]?: true };

function replace(name: string, backendName: string, make: (inner: tf.KernelFunc) => tf.KernelFunc): boolean {
  const current = tf.getKernel(name, backendName) as Config | undefined;
  if (!current || current[REPLACED]) return false;
  tf.unregisterKernel(name, backendName);
  const config: Config = { ...current, kernelFunc: make(current.kernelFunc) };
  config[REPLACED] = true;
  tf.registerKernel(config);
  return true;
}

/** Installs the fast paths on the wasm backend (idempotent); returns the kernels replaced. */
export function registerWasmFastPaths(backendName = 'wasm'): string[] {
  const done: string[] = [];
  const identity = replace('Identity', backendName, (inner) => (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === 'string') return inner(args);
    (args.backend as WasmBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });
  if (identity) done.push('Identity');
  const matMul = replace('BatchMatMul', backendName, (inner) => (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const attrs = args.attrs as { transposeA: boolean; transposeB: boolean };
    if (!attrs.transposeA) return inner(args);
    const rank = a.shape.length;
    const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
    const transpose = tf.getKernel('Transpose', backendName)!.kernelFunc;
    const aT = transpose({ inputs: { x: a }, backend: args.backend, attrs: { perm } }) as tf.TensorInfo;
    try {
      return inner({ inputs: { a: aT, b }, backend: args.backend, attrs: { ...attrs, transposeA: false } });
    } finally {
      (args.backend as WasmBackend).disposeData(aT.dataId);
    }
  });
  if (matMul) done.push('BatchMatMul');
  return done;
}
