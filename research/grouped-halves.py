# Research tool (docs/results/notebook.md, round 6): image AUROC of every score kind, and of the mean
# z-score of every combination of up to three kinds (z-scores from each model's own validation
# statistics, as the library combines them), for models trained and evaluated on the
# tile-grouped split of make-grouped-split.py, on the halves by tile it wrote (OUT-tune,
# OUT-hold), so a combination chosen on "tune" is checked on tiles it never saw ("hold").
# Means over the models given.
# Run: GROUPED=OUT python3 research/grouped-halves.py MODEL_DIR...  (OUT: the folder given to
# make-grouped-split.py; numpy, see research/requirements.txt)
import json, os, sys, itertools, numpy as np
from auroc import auroc
G=os.environ.get('GROUPED')
if not G: sys.exit('GROUPED must name the tile-grouped split (the OUT folder of make-grouped-split.py)')
names=[]
for t in sorted(os.listdir(f'{G}/test')):
    for f in sorted(os.listdir(f'{G}/test/{t}')): names.append(f'{t}/{f}')
# The halves make-grouped-split.py wrote beside the split: a name in OUT-tune is tune, else hold.
tune_names={f'{t}/{f}' for t in os.listdir(f'{G}-tune/test') for f in os.listdir(f'{G}-tune/test/{t}')}
half={n:('tune' if n in tune_names else 'hold') for n in names}
KINDS=['reconstruction','residualMean','residualMax','residualTopK','residualStandardised','featureResidual','featureDensity','localFeatureDensity','latentMahalanobis','latentFrechet']
models=sys.argv[1:]
# Reports since patch models list the kinds their model computes; older ones computed all of KINDS.
kinds_seen=json.load(open(f'{models[0]}/report/report.json')).get('kinds')
if kinds_seen: KINDS=[k for k in kinds_seen if k!='combined']
data=[]
for m in models:
    rep=json.load(open(f'{m}/report/report.json')); stats=json.load(open(f'{m}/model.json'))['meta']['calibration']['scoreStatistics']
    it={i['name']:i for i in rep['items']}
    y=np.array([n.split('/')[0]!='good' for n in names]); h=np.array([half[n] for n in names])
    Z={k:np.array([(it[n]['scores'][k]-stats[k]['mean'])/stats[k]['std'] for n in names]) for k in KINDS}
    data.append((m,y,h,Z))
def evalc(combo):
    out=[]
    for m,y,h,Z in data:
        s=np.mean([Z[k] for k in combo],0)
        out.append((auroc(s,y),auroc(s[h=='tune'],y[h=='tune']),auroc(s[h=='hold'],y[h=='hold'])))
    return np.array(out)
rows=[]
for r in (1,2,3):
    for combo in itertools.combinations(KINDS,r):
        a=evalc(combo); rows.append((a[:,1].mean(),combo,a))
rows.sort(key=lambda e:-e[0])
print('halves: tune', sum(1 for n in names if half[n]=='tune'), 'hold', sum(1 for n in names if half[n]=='hold'))
def show(combo,a): print(f'{"+".join(combo):70s} tune {a[:,1].mean():.3f} hold {a[:,2].mean():.3f} all {a[:,0].mean():.3f} | per model all: '+' '.join(f'{v:.3f}' for v in a[:,0]))
print('--- single kinds'); [show((k,),evalc((k,))) for k in KINDS]
default=tuple(json.load(open(f'{models[0]}/model.json'))['meta']['calibration']['combineKinds'])
print('--- the models\' combination', '+'.join(default)); show(default,evalc(default))
print('--- top 12 by tune'); [show(c,a) for _,c,a in rows[:12]]
