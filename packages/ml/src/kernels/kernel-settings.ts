// Switches for the kernels of our own, set by code (packages/ml reads no environment): tests and
// benchmarks turn them off to compare against what runs without them.
// - fused: the fused JS kernels (BatchNorm/bias + activation, Adam, phase filters, pixel
//   shuffle, patches). Off, wasm and cpu run the composed tf ops, as other backends always do.
// - simd: the WebAssembly SIMD loops inside the fused kernels (ADR 0019). Off, their JS loops.

export interface KernelSettings {
  fused: boolean;
  simd: boolean;
}

const settings: KernelSettings = { fused: true, simd: true };

/** Changes the switches given; returns the settings before the change (to restore them). */
export function configureKernels(change: Partial<KernelSettings>): KernelSettings {
  const before = { ...settings };
  Object.assign(settings, change);
  return before;
}

export function kernelSettings(): Readonly<KernelSettings> {
  return settings;
}

/**
 * The most bytes one call may stage in the SIMD loops' memory; larger calls run the JS loops.
 * That memory only grows (it is kept for the next call), so this bounds what a process keeps:
 * a 64x64 training step needs ~8 MB, a 128x128 model with 64 base filters and batch 64 ~270 MB.
 */
export const SIMD_MAX_BYTES = 256 * 1024 * 1024;
