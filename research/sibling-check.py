# Research check (docs/results/notebook.md, round 6): does magnetic-tile's split put photographs of the
# same tile on both sides? Reads a dump of dump-feature-maps.ts (its images.f32 are the 64x64
# per-image standardised inputs every model sees) and prints, for test images:
#   - how often the nearest train/good image (cosine distance in pixels) has a frame number
#     within 300 of its own (the same tile under another light: exp1..exp6 are taken in a row;
#     rarely a neighbouring tile, 3 of 303 such pairs on the shared split by the tile rule of
#     make-grouped-split.py);
#   - image AUROC of that nearest-neighbour distance, a detector that only recognises tiles,
#     on the shared split and, with GROUPED set, on the tile-grouped split of
#     make-grouped-split.py.
# Run: python3 research/sibling-check.py DUMP_DIR [GROUPED_DIR]   (numpy)
import json, os, re, sys
import numpy as np
from auroc import auroc

D = sys.argv[1]
idx = json.load(open(f'{D}/index.json')); items = idx['items']; N = len(items)
X = np.fromfile(f'{D}/images.f32', dtype=np.float32).reshape(N, -1).astype(np.float64)
X /= np.linalg.norm(X, axis=1, keepdims=True)
kind = np.array([it['name'].split('/')[0] for it in items])
base = np.array([it['name'].split('/')[-1] for it in items])
frame = np.array([int(re.search(r'_num_(\d+)', b).group(1)) for b in base])

def report(label, train, test):
    y = kind[test] != 'good'
    dist = 1 - X[test] @ X[train].T
    nearest = dist.argmin(1)
    sibling = np.abs(frame[test] - frame[train][nearest]) < 300
    print(f'{label}: {train.sum()} train/good, {test.sum()} test ({y.sum()} defective)')
    print(f'  nearest train image is the same tile (frame within 300, rarely a neighbour): good {sibling[~y].mean():.3f}, defective {sibling[y].mean():.3f}')
    print(f'  image AUROC of the nearest-neighbour distance: {auroc(dist.min(1), y):.3f}')

report('shared split', np.array([it['split'] == 'train' for it in items]), np.array([it['split'] == 'test' for it in items]))
if len(sys.argv) > 2:
    G = sys.argv[2]
    train_good = set(os.listdir(f'{G}/train/good')); test_good = set(os.listdir(f'{G}/test/good'))
    report('tile-grouped split', (kind == 'good') & np.isin(base, list(train_good)),
           (kind != 'good') | np.isin(base, list(test_good)))
