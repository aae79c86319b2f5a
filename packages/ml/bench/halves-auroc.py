# Image AUROC of the combined score and of each density on the tune and hold halves of
# magnetic-tile's test/ (drawn as make-halves.py draws them), from gansight evaluate's report.json.
# usage: python3 packages/ml/bench/halves-auroc.py REPORT_DIR...   (from the repo root)
import json, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from importlib import import_module
half = import_module('make-halves').split(os.path.abspath('../shared/data/magnetic-tile'))
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
