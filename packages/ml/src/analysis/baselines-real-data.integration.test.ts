// The Table III baselines on the real magnetic-tile data (../shared/data beside the repository),
// checked against the scikit-learn figures in baselines.json.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listFolderDataset, loadFolderDataset } from '@gansight/imaging';
import { describe, expect, it } from 'vitest';
import { runBaselines } from './run-baselines';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const dataDir = resolve(repoRoot, '../shared/data/magnetic-tile');
// Every developer machine and CI has the shared data beside the repository: a missing folder is an error, not a skip.
if (!existsSync(dataDir)) throw new Error(`${dataDir} is missing: the shared data must lie beside the repository (../shared/data/README.md)`);

describe('baselines on magnetic-tile (64x64 grayscale, PCA 50)', () => {
  it('reproduce the scikit-learn AUROCs: GMM within 0.05, one-class SVM and LOF within 0.03', async () => {
    const reference = JSON.parse(readFileSync(resolve(dataDir, '../baselines.json'), 'utf8')) as Record<string, { auroc: number }>;
    const { loaded, skipped } = await loadFolderDataset(await listFolderDataset(dataDir), { size: 64, channels: 1, mode: 'resize', concurrency: 4 });
    expect(skipped).toEqual([]);
    const train = loaded.filter((l) => l.split === 'train').map((l) => l.image.data);
    const test = loaded
      .filter((l) => l.split === 'test')
      .map((l) => ({ vector: l.image.data, defective: l.label === 'defect', defectType: l.defectType }));
    expect(train).toHaveLength(635);
    expect(test).toHaveLength(317 + 392);
    const results = Object.fromEntries(runBaselines(train, test, { seed: 0 }).map((r) => [r.name, r]));
    expect(Math.abs(results.gmm!.auroc - reference.gmm!.auroc)).toBeLessThan(0.05);
    expect(Math.abs(results.ocsvm!.auroc - reference.ocsvm!.auroc)).toBeLessThan(0.03);
    expect(Math.abs(results.lof!.auroc - reference.lof!.auroc)).toBeLessThan(0.03);
    // The training-percentile threshold lets about 5% of qualified test tiles through as false alarms or more.
    expect(results.gmm!.detection.good!.rate).toBeGreaterThan(0);
  });
});
