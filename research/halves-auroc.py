# Image AUROC of the combined score and of each density on the tune and hold halves of
# magnetic-tile's test/ (drawn as make-halves.py draws them), from gansight evaluate's report.json.
# usage: python3 research/halves-auroc.py REPORT_DIR...   (from the repo root; numpy)
import json, os, sys
from importlib import import_module
from auroc import auroc_of
half = import_module('make-halves').split(os.path.abspath('../shared/data/magnetic-tile'))
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
            row.append(auroc_of(pos, neg))
        out.append(f'{kind} tune {row[0]:.3f} hold {row[1]:.3f}')
    print(d, '|', ' | '.join(out))
