// How long the local feature density takes to fit (once per model, in finishInspectionModel)
// and to score (per inspected image), at magnetic-tile's shape: 540 training images, an 8x8
// grid, 224 channels (64 px, nf 16). Random features: the cost depends on the shape only.
// Run: node --import tsx packages/ml/bench/local-density-fit.ts
import { createRng } from '../src/analysis';
import { fitLocalFeatureDensity, localFeatureDensityMaps } from '../src/pipeline/local-feature-density';

const [images, grid, channels] = [540, 8, 224];
const rng = createRng(0);
const features = Array.from({ length: images }, () => Float32Array.from({ length: grid * grid * channels }, () => rng.normal()));
let t = performance.now();
const density = fitLocalFeatureDensity(features, { grid });
console.error(`fitted in ${((performance.now() - t) / 1000).toFixed(1)} s`);
const fitSeconds = (performance.now() - t) / 1000;
localFeatureDensityMaps(density, features.slice(0, 10)); // warm-up (JIT)
t = performance.now();
localFeatureDensityMaps(density, features.slice(0, 100));
const scoreMs = (performance.now() - t) / 100;
console.log(JSON.stringify({ images, grid, channels, fitSeconds: +fitSeconds.toFixed(2), scoreMsPerImage: +scoreMs.toFixed(2), storedFloats: density.mean.length + density.factor.length }));
