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
      kernelFunc: ({ inputs, backend, attrs }) => {
        const b = backend as KernelBackend;
        const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
        const dyT = borrow<tf.Rank.R4>(dy, b);
        const fT = borrow<tf.Rank.R4>(filter, b);
        try {
          const args = attrs as unknown as BackpropInputArgs & { dataFormat?: string };
          if (args.dataFormat && args.dataFormat !== 'NHWC') {
            throw new Error(`Conv2DBackpropInput on ${backendName}: only NHWC is supported`);
          }
          return release(conv2dBackpropInputViaConv(dyT, fT, args), b);
        } finally {
          dyT.dispose();
          fT.dispose();
        }
      },
    };
    config[REPLACED] = true;
    tf.registerKernel(config);
    registered.push('Conv2DBackpropInput');
  }
  if (!tf.getKernel('Conv2DBackpropFilter', backendName)) {
    tf.registerKernel({
      kernelName: 'Conv2DBackpropFilter',
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const b = backend as KernelBackend;
        const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
        const xT = borrow<tf.Rank.R4>(x, b);
        const dyT = borrow<tf.Rank.R4>(dy, b);
        try {
          const args = attrs as unknown as BackpropFilterArgs & { dataFormat?: string };
          if (args.dataFormat && args.dataFormat !== 'NHWC') {
            throw new Error(`Conv2DBackpropFilter on ${backendName}: only NHWC is supported`);
          }
          return release(conv2dBackpropFilterViaConv(xT, dyT, args), b);
        } finally {
          xT.dispose();
          dyT.dispose();
        }
      },
    });
    registered.push('Conv2DBackpropFilter');
  }
  if (backendName === 'wasm') registered.push(...registerWasmFastPaths(backendName));
  return registered;
}
