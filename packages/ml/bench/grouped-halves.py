# Research tool (docs/RESULTS.md, round 6): image AUROC of every score kind, and of the mean
# z-score of every combination of up to three kinds (z-scores from each model's own validation
# statistics, as the library combines them), for models trained and evaluated on the
# tile-grouped split of make-grouped-split.py. The test set is halved by tile (siblings stay
# together, defective and defect-free tiles drawn apart, seeded), so a combination chosen on
# "tune" is checked on tiles it never saw ("hold"). Means over the models given.
# Run: GROUPED=/tmp/mt-grouped python3 packages/ml/bench/grouped-halves.py MODEL_DIR...  (numpy + scipy)
import json, math, os, re, sys, itertools, numpy as np
from scipy.stats import rankdata
def auroc(s, lab):
    s=np.asarray(s,float); lab=np.asarray(lab,bool); r=rankdata(s); p=lab.sum(); n=len(lab)-p
    return (r[lab].sum()-p*(p+1)/2)/(p*n)
G=os.environ.get('GROUPED','/tmp/mt-grouped')
names=[]
for t in sorted(os.listdir(f'{G}/test')):
    for f in sorted(os.listdir(f'{G}/test/{t}')): names.append(f'{t}/{f}')
num=lambda n:int(re.search(r'_num_(\d+)',n).group(1))
order=sorted(names,key=num); gid={}; g=0
for a,b in zip([None]+order[:-1],order):
    if a is not None and num(b)-num(a)>=100: g+=1
    gid[b]=g
seed=13579.0
def rnd():
    global seed
    seed=math.fmod(seed*1103515245.0+12345.0,2147483648.0); return seed/2147483648.0
groups=sorted(set(gid.values())); draw={x:rnd() for x in groups}
# stratify: sort groups by draw within "has defect" / not, alternate
kind_of={}
for n in names: kind_of.setdefault(gid[n],set()).add(n.split('/')[0])
half={}
for strat in (True,False):
    gs=sorted([x for x in groups if (kind_of[x]!={'good'})==strat],key=lambda x:draw[x])
    for j,x in enumerate(gs): half[x]='tune' if j%2==0 else 'hold'
KINDS=['reconstruction','residualMean','residualMax','residualTopK','residualStandardised','featureResidual','featureDensity','localFeatureDensity','latentMahalanobis','latentFrechet']
models=sys.argv[1:]
data=[]
for m in models:
    rep=json.load(open(f'{m}/report/report.json')); stats=json.load(open(f'{m}/model.json'))['meta']['calibration']['scoreStatistics']
    it={i['name']:i for i in rep['items']}
    y=np.array([n.split('/')[0]!='good' for n in names]); h=np.array([half[gid[n]] for n in names])
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
print('halves: tune', sum(1 for n in names if half[gid[n]]=='tune'), 'hold', sum(1 for n in names if half[gid[n]]=='hold'))
def show(combo,a): print(f'{"+".join(combo):70s} tune {a[:,1].mean():.3f} hold {a[:,2].mean():.3f} all {a[:,0].mean():.3f} | per model all: '+' '.join(f'{v:.3f}' for v in a[:,0]))
print('--- single kinds'); [show((k,),evalc((k,))) for k in KINDS]
print('--- library default'); show(('localFeatureDensity','featureDensity'),evalc(('localFeatureDensity','featureDensity')))
print('--- top 12 by tune'); [show(c,a) for _,c,a in rows[:12]]
