// Registers the gradient kernels that DCGAN training needs and the wasm backend lacks
// (Conv2DBackpropFilter), and replaces the one it has but runs slowly (Conv2DBackpropInput).
import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterViaConv, type BackpropFilterArgs } from './conv2d-backprop-filter';
import { conv2dBackpropInputViaConv, type BackpropInputArgs } from './conv2d-backprop-input';
import { registerWasmFastPaths } from './wasm-fast-paths';

type KernelBackend = tf.KernelBackend & { incRef(dataId: tf.DataId): void };

// Wraps a kernel input as a tensor that owns one extra reference, so disposing it does not
// free the caller's data (the engine's dispose decrements the backend refcount).
function borrow<R extends tf.Rank>(info: tf.TensorInfo, backend: KernelBackend): tf.Tensor<R> {
  backend.incRef(info.dataId);
  return tf.engine().makeTensorFromDataId(info.dataId, info.shape, info.dtype, backend) as tf.Tensor<R>;
}

// Hands the data of a freshly computed tensor over to the engine as a kernel output.
function release(t: tf.Tensor, backend: KernelBackend): tf.TensorInfo {
  backend.incRef(t.dataId);
  const info = { dataId: t.dataId, shape: t.shape, dtype: t.dtype };
  t.dispose();
  return info;
}

// A kernel computed with tf ops from its two NHWC inputs (named `names`, in that order), which
// it borrows for the call; other data formats are refused.
function compositeKernel<A>(
  kernelName: string, backendName: string, names: [string, string],
  compute: (a: tf.Tensor4D, b: tf.Tensor4D, args: A) => tf.Tensor,
): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const b = backend as KernelBackend;
    const first = borrow<tf.Rank.R4>(inputs[names[0]]!, b);
    const second = borrow<tf.Rank.R4>(inputs[names[1]]!, b);
    try {
      const args = attrs as unknown as A & { dataFormat?: string };
      if (args.dataFormat && args.dataFormat !== 'NHWC') throw new Error(`${kernelName} on ${backendName}: only NHWC is supported`);
      return release(compute(first, second, args), b);
    } finally {
      first.dispose();
      second.dispose();
    }
  };
}

const REPLACED = Symbol.for('gansight.kernel');

/**
 * Registers the composite kernels on `backendName` (idempotent): Conv2DBackpropFilter when
 * missing, and Conv2DBackpropInput in place of the native one when `replaceBackpropInput`.
 * Returns the names it registered.
 */
export function registerMissingKernels(backendName: string, replaceBackpropInput = backendName === 'wasm'): string[] {
  const registered: string[] = [];
  const current = tf.getKernel('Conv2DBackpropInput', backendName) as (tf.KernelConfig & { [REPLACED]?: true }) | undefined;
  if (replaceBackpropInput && !current?.[REPLACED]) {
    if (current) tf.unregisterKernel('Conv2DBackpropInput', backendName);
    const config: tf.KernelConfig & { [REPLACED]?: true } = {
      kernelName: 'Conv2DBackpropInput',
      backendName,
      kernelFunc: compositeKernel('Conv2DBackpropInput', backendName, ['dy', 'filter'], (dy, filter, args: BackpropInputArgs) => conv2dBackpropInputViaConv(dy, filter, args)),
    };
    config[REPLACED] = true;
    tf.registerKernel(config);
    registered.push('Conv2DBackpropInput');
  }
  if (!tf.getKernel('Conv2DBackpropFilter', backendName)) {
    tf.registerKernel({
      kernelName: 'Conv2DBackpropFilter',
      backendName,
      kernelFunc: compositeKernel('Conv2DBackpropFilter', backendName, ['x', 'dy'], (x, dy, args: BackpropFilterArgs) => conv2dBackpropFilterViaConv(x, dy, args)),
    });
    registered.push('Conv2DBackpropFilter');
  }
  if (backendName === 'wasm') registered.push(...registerWasmFastPaths(backendName));
  return registered;
}
