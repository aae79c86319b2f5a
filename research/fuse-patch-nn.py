# Research tool: does the patch nearest-neighbour score (research/patch-nn-scores.ts) add to a
# model's own default score? For each model, both scores are z-scored on the 100 calibration
# images (the model's scoreStatistics for its kind, the calibration images' patchNN scores for
# patchNN), then averaged; image AUROC on the tune and hold halves of make-grouped-split.py.
# Run: GROUPED=OUT python3 research/fuse-patch-nn.py PNN_SCORES.json MODEL_DIR...
import json, os, sys, numpy as np
from auroc import auroc
G=os.environ['GROUPED']
tune={f'{t}/{f}' for t in os.listdir(f'{G}-tune/test') for f in os.listdir(f'{G}-tune/test/{t}')}
pnn=json.load(open(sys.argv[1]))
cal=np.array(list(pnn['calibration'].values())); pm,ps=cal.mean(),cal.std()
for m in sys.argv[2:]:
    rep=json.load(open(f'{m}/report/report.json')); meta=json.load(open(f'{m}/model.json'))['meta']['calibration']
    kind=meta['combineKinds'][0]; st=meta['scoreStatistics'][kind]
    names=[i['name'] for i in rep['items']]
    y=np.array([n.split('/')[0]!='good' for n in names]); h=np.array([n in tune for n in names])
    a=np.array([(i['scores'][kind]-st['mean'])/st['std'] for i in rep['items']])
    b=np.array([(pnn['test'][n]-pm)/ps for n in names])
    for label,s in ((kind,a),('patchNN',b),('mean',(a+b)/2),('max',np.maximum(a,b))):
        print(f'{m:28s} {label:10s} all {auroc(s,y):.3f} tune {auroc(s[h],y[h]):.3f} hold {auroc(s[~h],y[~h]):.3f}')
