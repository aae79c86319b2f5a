// Lets a kernel written in plain JavaScript read and write tensors where the backend keeps them:
// the wasm heap (wasm) or JS arrays (cpu). Why JS: the element-wise work around a DCGAN layer
// (batch statistics, normalisation, activation, their gradients, Adam) ran as ~10-20 separate
// wasm kernels per layer, each a scalar pass over memory, plus a transpose for every
// reduction over the batch axes; one fused JS pass over the same memory is several times
// cheaper (packages/ml/bench/profile-train-step.ts).
import * as tf from '@tensorflow/tfjs';
import { kernelSettings } from './kernel-settings';

interface WasmBackend {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}
interface CpuBackend {
  data: { get(dataId: tf.DataId): { values: ArrayLike<number> } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}

/** Backends whose memory a JS kernel can reach directly. */
export const JS_KERNEL_BACKENDS = ['wasm', 'cpu'] as const;

/**
 * Allocates float32 outputs of the given shapes, then returns views of the inputs and the
 * outputs. Outputs are allocated first because growing the wasm heap may detach earlier views.
 */
export function kernelArrays(
  backendName: string, backend: unknown, inputs: tf.TensorInfo[], outputShapes: number[][],
): { inputs: Float32Array[]; outputs: Float32Array[]; infos: tf.TensorInfo[] } {
  for (const t of inputs) {
    if (t.dtype !== 'float32') throw new Error(`JS kernel on ${backendName}: expected float32 inputs, got ${t.dtype}`);
  }
  if (backendName === 'wasm') {
    const b = backend as WasmBackend;
    const infos = outputShapes.map((s) => b.makeOutput(s, 'float32'));
    return { inputs: inputs.map((t) => b.typedArrayFromHeap(t)), outputs: infos.map((t) => b.typedArrayFromHeap(t)), infos };
  }
  if (backendName === 'cpu') {
    const b = backend as CpuBackend;
    const outputs = outputShapes.map((s) => new Float32Array(s.reduce((a, d) => a * d, 1)));
    const infos = outputShapes.map((s, i) => b.makeTensorInfo(s, 'float32', outputs[i]!));
    return { inputs: inputs.map((t) => b.data.get(t.dataId).values as Float32Array), outputs, infos };
  }
  throw new Error(`no JS kernels for backend ${backendName}`);
}

/** A JS kernel's body: the engine's arguments, and the name of the backend it was registered on (for kernelArrays). */
type JsKernelBody = (backendName: string, params: Parameters<tf.KernelFunc>[0]) => ReturnType<tf.KernelFunc>;

/**
 * A function that registers `kernels` (by kernel name) on every JS kernel backend, then runs
 * `after` (e.g. gradient registrations), the first time it is called; later calls return at
 * once, so an op may call it every time it runs.
 */
export function jsKernelRegistration(kernels: Record<string, JsKernelBody>, after?: () => void): () => void {
  let registered = false;
  return () => {
    if (registered) return;
    registered = true;
    for (const backendName of JS_KERNEL_BACKENDS) {
      for (const [kernelName, body] of Object.entries(kernels)) {
        tf.registerKernel({ kernelName, backendName, kernelFunc: (params) => body(backendName, params) });
      }
    }
    after?.();
  };
}

/**
 * True when the active backend runs the fused JS kernels and they are switched on
 * (configureKernels); otherwise callers compose tf ops.
 */
export function jsKernelsActive(): boolean {
  return kernelSettings().fused && (JS_KERNEL_BACKENDS as readonly string[]).includes(tf.getBackend());
}
