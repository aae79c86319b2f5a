# Research tool (docs/results/notebook.md, round 6): magnetic-tile re-split by physical tile.
# The shared dataset splits its defect-free images at random, but each tile was photographed
# about six times (exp1..exp6, frame numbers in a row), so 99% of test/good images have a
# sibling of the same tile in train/good. This script groups images into tiles by frame number
# (a frame joins the previous one's tile when it is less than GAP frames later, or less than
# LONG_GAP frames later under a higher exp number: the shots of one tile sometimes lie 100-600
# frames apart) and writes MVTec folders of symlinks where no tile is on two sides:
#   OUT             train/good (the GAN's images), test/<type> (defect-free tiles and every
#                   defective image), ground_truth/ (masks);
#   OUT-validation  train/good: defect-free tiles held out for calibration (`gansight train
#                   --validation-data OUT-validation`), about 15% of the training tiles;
#   OUT-tune, OUT-hold  the test tiles halved, in strata by the kinds of images a tile holds,
#                   for choices made on one half and checked on the other (train/ linked in both).
# A tile that also has defective images keeps its defect-free images in test/good.
# Run: python3 research/make-grouped-split.py SRC OUT   (standard library only; e.g. SRC
# ../shared/data/magnetic-tile, OUT research-out/mt-grouped: OUT and its siblings are created)
import math, os, re, sys, collections

if len(sys.argv) != 3:
    sys.exit('usage: make-grouped-split.py SRC OUT   (OUT, OUT-validation, OUT-tune and OUT-hold are written)')
SRC, OUT = sys.argv[1], sys.argv[2]
GAP = 100
LONG_GAP = 600
TEST_SHARE = 1 / 3  # as the shared split: a third of the defect-free images in test
VALIDATION_SHARE = 0.15  # as gansight train's default --validation

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
            rows.append((int(m.group(2)), split, kind, f, int(m.group(1))))
rows.sort()
groups, current = [], [rows[0]]
for prev, row in zip(rows, rows[1:]):
    gap = row[0] - prev[0]
    if gap < GAP or (row[4] > prev[4] and gap < LONG_GAP):
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
validation_tiles, in_validation = set(), 0
for g in order:
    if in_test < TEST_SHARE * total_good:
        test_tiles.add(id(g))
        in_test += len(g)
    elif in_validation < VALIDATION_SHARE * (total_good - in_test):
        validation_tiles.add(id(g))
        in_validation += len(g)

def link(src_rel, dst_rel, out=OUT):
    dst = os.path.join(out, dst_rel)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    if not os.path.lexists(dst):
        os.symlink(os.path.abspath(os.path.join(SRC, src_rel)), dst)

# Halves of the test tiles: tiles drawn in strata by the kinds of images they hold (good only,
# blowhole, break + good, ...), shuffled by the seeded stream and alternated, so both halves
# get about half of each defect type.
test_groups = [g for g in groups if id(g) in test_tiles or any(r[2] != 'good' for r in g)]
strata = collections.defaultdict(list)
for g in test_groups:
    strata[tuple(sorted({r[2] for r in g}))].append(g)
half_of, j = {}, 0
for key in sorted(strata):
    for g in sorted(strata[key], key=lambda g: rnd()):
        half_of[id(g)] = 'tune' if j % 2 == 0 else 'hold'
        j += 1  # one count across strata: odd-sized strata do not all favour the same half

counts = collections.Counter()
for g in groups:
    for _, split, kind, f, _ in g:
        if id(g) in validation_tiles:
            link(f'{split}/{kind}/{f}', f'train/good/{f}', f'{OUT}-validation')
            counts['validation train/good'] += 1
            continue
        if kind == 'good' and not (id(g) in test_tiles or g in mixed):
            for out in (OUT, f'{OUT}-tune', f'{OUT}-hold'):
                link(f'{split}/{kind}/{f}', f'train/good/{f}', out)
            counts['train/good'] += 1
            continue
        half = half_of[id(g)]
        link(f'{split}/{kind}/{f}', f'test/{kind}/{f}')
        link(f'{split}/{kind}/{f}', f'test/{kind}/{f}', f'{OUT}-{half}')
        counts[f'test/{kind}'] += 1
        counts[f'{half} test/{kind}'] += 1
        stem = os.path.splitext(f)[0]
        for m in (f'{stem}.png', f'{stem}_mask.png'):
            if kind != 'good' and os.path.exists(f'{SRC}/ground_truth/{kind}/{m}'):
                for out in (OUT, f'{OUT}-{half}'):
                    link(f'ground_truth/{kind}/{m}', f'ground_truth/{kind}/{m}', out)
sizes = collections.Counter(len(g) for g in groups)
print(f'{len(groups)} groups (gap < {GAP}): sizes {sorted(sizes.items())}; {len(good_only)} defect-free tiles, {len(mixed)} mixed')
print(f'{OUT}: ' + ', '.join(f'{k} {v}' for k, v in sorted(counts.items())))
