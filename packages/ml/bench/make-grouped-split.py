# Research tool (docs/RESULTS.md, round 6): magnetic-tile re-split by physical tile.
# The shared dataset splits its defect-free images at random, but each tile was photographed
# about six times (exp1..exp6, consecutive frame numbers), so 99% of test/good images have a
# sibling of the same tile in train/good. This script groups images by frame number (a gap of
# less than GAP starts no new tile) and writes an MVTec folder of symlinks where every
# defect-free tile lies wholly in train/good or wholly in test/good; a tile that also has
# defective images keeps its defect-free images in test/good. Defect folders and masks are
# linked unchanged. Prints the group statistics.
# Run: python3 packages/ml/bench/make-grouped-split.py [SRC] [OUT]   (numpy not needed)
import math, os, re, sys, collections

SRC = sys.argv[1] if len(sys.argv) > 1 else '../shared/data/magnetic-tile'
OUT = sys.argv[2] if len(sys.argv) > 2 else '/tmp/mt-grouped'
GAP = 100
TEST_SHARE = 1 / 3  # as the shared split: a third of the defect-free images in test

seed = 24680.0
def rnd():
    global seed
    seed = math.fmod(seed * 1103515245.0 + 12345.0, 2147483648.0)
    return seed / 2147483648.0

rows = []
for split in ('train', 'test'):
    for kind in sorted(os.listdir(f'{SRC}/{split}')):
        for f in sorted(os.listdir(f'{SRC}/{split}/{kind}')):
            m = re.search(r'exp(\d+)_num_(\d+)', f)
            rows.append((int(m.group(2)), split, kind, f))
rows.sort()
groups, current = [], [rows[0]]
for prev, row in zip(rows, rows[1:]):
    if row[0] - prev[0] < GAP:
        current.append(row)
    else:
        groups.append(current)
        current = [row]
groups.append(current)

good_only = [g for g in groups if all(r[2] == 'good' for r in g)]
mixed = [g for g in groups if any(r[2] == 'good' for r in g) and any(r[2] != 'good' for r in g)]
order = sorted(good_only, key=lambda g: rnd())
total_good = sum(len(g) for g in good_only) + sum(1 for g in mixed for r in g if r[2] == 'good')
test_tiles, in_test = set(), sum(1 for g in mixed for r in g if r[2] == 'good')
for g in order:
    if in_test >= TEST_SHARE * total_good:
        break
    test_tiles.add(id(g))
    in_test += len(g)

def link(src_rel, dst_rel):
    dst = os.path.join(OUT, dst_rel)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    if not os.path.lexists(dst):
        os.symlink(os.path.abspath(os.path.join(SRC, src_rel)), dst)

counts = collections.Counter()
for g in groups:
    for _, split, kind, f in g:
        if kind != 'good':
            link(f'{split}/{kind}/{f}', f'test/{kind}/{f}')
            counts[f'test/{kind}'] += 1
        elif id(g) in test_tiles or g in mixed:
            link(f'{split}/{kind}/{f}', f'test/good/{f}')
            counts['test/good'] += 1
        else:
            link(f'{split}/{kind}/{f}', f'train/good/{f}')
            counts['train/good'] += 1
for kind in os.listdir(f'{SRC}/ground_truth'):
    for f in os.listdir(f'{SRC}/ground_truth/{kind}'):
        link(f'ground_truth/{kind}/{f}', f'ground_truth/{kind}/{f}')
sizes = collections.Counter(len(g) for g in groups)
print(f'{len(groups)} groups (gap < {GAP}): sizes {sorted(sizes.items())}; {len(good_only)} defect-free tiles, {len(mixed)} mixed')
print(f'{OUT}: ' + ', '.join(f'{k} {v}' for k, v in sorted(counts.items())))
