// The patch nearest-neighbour baseline on the benchmark of record (magnetic-tile-by-tile, in
// ../shared/data beside the repository), checked against the figure ../shared/data/README.md
// gives for its recipe (image AUROC 0.613 at a short side of 128 px). About a minute on 2 cores.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listFolderDataset, loadFolderDataset } from '@gansight/imaging';
import { describe, expect, it } from 'vitest';
import { runPatchNearestNeighbour } from './run-baselines';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const dataDir = resolve(repoRoot, '../shared/data/magnetic-tile-by-tile');
// Every developer machine and CI has the shared data beside the repository: a missing folder is an error, not a skip.
if (!existsSync(dataDir)) throw new Error(`${dataDir} is missing: the shared data must lie beside the repository (../shared/data/README.md)`);

describe('patch nearest neighbour on magnetic-tile-by-tile (short side 128, 16 px patches, PCA 24)', () => {
  it("reproduces the README's image AUROC 0.613 within 0.02 (the resize filter alone moves it by 0.01)", async () => {
    const { loaded, skipped } = await loadFolderDataset(await listFolderDataset(dataDir), { size: { shortSide: 128 }, channels: 1, concurrency: 4 });
    expect(skipped).toEqual([]);
    const train = loaded.filter((l) => l.split === 'train').map((l) => l.image);
    const test = loaded.filter((l) => l.split === 'test').map((l) => ({ image: l.image, defective: l.label === 'defect', defectType: l.defectType }));
    expect([train.length, test.length]).toEqual([532, 320 + 392]);
    const result = runPatchNearestNeighbour(train, test);
    expect(Math.abs(result.auroc - 0.613)).toBeLessThan(0.02);
    expect(result.detection.good!.count).toBe(320);
  }, 600_000);
});
