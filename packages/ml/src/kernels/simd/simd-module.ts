// Compiles kernels.wat with wabt (WebAssembly text to binary, itself a wasm build) and
// instantiates it, once per process, when this module loads. Loading waits for it (top-level
// await, ~60 ms) so the SIMD loops are ready before any kernel can run: every call of a
// kernel takes the same path, and training stays reproducible. null where the runtime lacks
// WebAssembly SIMD (the kernels then run their JS loops). configureKernels({ simd: false })
// switches the loops off without unloading the module.
import { readFileSync } from 'node:fs';
import wabt from 'wabt';

export interface SimdExports {
  memory: WebAssembly.Memory;
  sums(x: number, n: number, L: number, T: number, s: number, q: number): void;
  grad_sums(dy: number, y: number, x: number, n: number, L: number, T: number, alpha: number, sd: number, sdx: number): void;
  bias_grad(dy: number, y: number, n: number, L: number, T: number, alpha: number, dx: number, s: number): void;
  affine_act(x: number, n: number, L: number, scale: number, shift: number, alpha: number, y: number): void;
  bn_grad_dx(dy: number, y: number, x: number, n: number, L: number, ca: number, cb: number, cc: number, alpha: number, dx: number): void;
  adam(p: number, g: number, m: number, v: number, n: number, step: number, b1: number, g1: number, b2: number, g2: number, eps: number): void;
}

async function compile(): Promise<{ exports: SimdExports | null; unavailable: string | null }> {
  const source = readFileSync(new URL('./kernels.wat', import.meta.url), 'utf8');
  const tools = await wabt();
  const parsed = tools.parseWat('kernels.wat', source, { simd: true });
  let binary: Uint8Array<ArrayBuffer>;
  try {
    parsed.resolveNames();
    parsed.validate();
    binary = new Uint8Array(parsed.toBinary({}).buffer);
  } finally {
    parsed.destroy();
  }
  // Runtimes without SIMD reject the binary: that is the feature test.
  if (!WebAssembly.validate(binary)) {
    return { exports: null, unavailable: 'this runtime has no WebAssembly SIMD' };
  }
  const instance = new WebAssembly.Instance(new WebAssembly.Module(binary));
  return { exports: instance.exports as unknown as SimdExports, unavailable: null };
}

const compiled = await compile();
/** The compiled SIMD module, or null (see simdUnavailableReason). */
export const simdExports: SimdExports | null = compiled.exports;
/** Why the SIMD loops are off in this process, or null when they are on. */
export const simdUnavailableReason: string | null = compiled.unavailable;
