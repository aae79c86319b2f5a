// Every fused JS kernel at once. Each op registers its own kernel on first use; this is for
// tools that must see them registered up front (the kernel profiler wraps registered kernels).
import { registerAdamKernel } from './adam-update';
import { registerActivationKernels } from './batch-norm-activation';
import { registerInterleaveKernel } from './interleave-phases-kernel';
import { registerPatchesKernel } from './patches-kernel';
import { registerPhaseFiltersKernel } from './phase-filters-kernel';

export function registerJsKernels(): void {
  registerActivationKernels();
  registerAdamKernel();
  registerPhaseFiltersKernel();
  registerInterleaveKernel();
  registerPatchesKernel();
}
