// Registers the gradient kernels that DCGAN training needs and the wasm backend lacks.
import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterViaConv, type BackpropFilterArgs } from './conv2d-backprop-filter';

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

/** Registers missing kernels on `backendName` (idempotent); returns the names it registered. */
export function registerMissingKernels(backendName: string): string[] {
  const registered: string[] = [];
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
  return registered;
}
