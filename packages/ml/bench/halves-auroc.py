# Image AUROC of the combined score and of each density on the tune and hold halves of
# magnetic-tile's test/ (drawn as make-halves.py draws them), from gansight evaluate's report.json.
# usage: python3 packages/ml/bench/halves-auroc.py REPORT_DIR...   (from the repo root)
import json, math, os, sys
src = os.path.abspath('../shared/data/magnetic-tile')
seed = 12345.0
def rnd():
    global seed
    seed = math.fmod(seed * 1103515245.0 + 12345.0, 2147483648.0)
    return seed / 2147483648.0
half = {}
for t in ['good', 'blowhole', 'break', 'crack', 'fray', 'uneven']:
    files = sorted(os.listdir(f'{src}/test/{t}'))
    order = sorted([(rnd(), f) for f in files], key=lambda e: e[0])
    for j, (_, f) in enumerate(order):
        half[(t, f)] = 'tune' if j % 2 == 0 else 'hold'
def auroc(pos, neg):
    # Mann-Whitney U with average ranks for ties
    allv = sorted([(v, 1) for v in pos] + [(v, 0) for v in neg])
    s, i, n = 0.0, 0, len(allv)
    while i < n:
        j = i
        while j + 1 < n and allv[j + 1][0] == allv[i][0]:
            j += 1
        avg = (i + j) / 2 + 1
        s += sum(avg for k in range(i, j + 1) if allv[k][1] == 1)
        i = j + 1
    return (s - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))
for d in sys.argv[1:]:
    items = json.load(open(os.path.join(d, 'report.json')))['items']
    out = []
    for kind in ['combined', 'localFeatureDensity', 'featureDensity']:
        row = []
        for h in ['tune', 'hold']:
            pos, neg = [], []
            for it in items:
                t = it['defectType'] or 'good'
                if half.get((t, os.path.basename(it['name']))) != h:
                    continue
                (neg if t == 'good' else pos).append(it['scores'][kind])
            row.append(auroc(pos, neg))
        out.append(f'{kind} tune {row[0]:.3f} hold {row[1]:.3f}')
    print(d, '|', ' | '.join(out))
