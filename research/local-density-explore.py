# Research script (docs/results/notebook.md, round 3): local feature densities of D's block maps, compared
# offline in numpy before one was built into the library (local-feature-density.ts). Reads the
# dump of dump-feature-maps.ts and the round-2 model's report/statistics for the combinations.
# Prints image AUROC all / tune / hold (the halves of preprocessing-proxy.ts) and pixel AUROC.
# Run: python3 research/local-density-explore.py DUMP_DIR MODEL_DIR   (numpy + scipy)
import json, math, os, sys
import numpy as np
from scipy.ndimage import zoom
from auroc import auroc

D, MODEL = sys.argv[1], sys.argv[2]
idx = json.load(open(f'{D}/index.json'))
items = idx['items']; N = len(items); S = idx['size']
def layer(l):
    h, w, c = idx['shapes'][l]
    return np.fromfile(f'{D}/layer{l}.f32', dtype=np.float32).reshape(N, h, w, c)
masks = np.fromfile(f'{D}/masks.u8', dtype=np.uint8).reshape(N, S, S) > 0
tr = np.array([it['split'] == 'train' and not it['validation'] for it in items])
va = np.array([it['validation'] for it in items])
te = np.array([it['split'] == 'test' for it in items])
y = np.array([it['defectType'] is not None for it in items])
# The tune/hold halves: per type, file names sorted, one seeded stream (as preprocessing-proxy.ts).
seed = 12345.0
def rnd():
    global seed
    seed = math.fmod(seed * 1103515245.0 + 12345.0, 2147483648.0)
    return seed / 2147483648.0
halfmap = {}
root = os.environ.get('DATA', '../shared/data/magnetic-tile') + '/test'
for t in ['good', 'blowhole', 'break', 'crack', 'fray', 'uneven']:
    order = sorted([(rnd(), f) for f in sorted(os.listdir(f'{root}/{t}'))], key=lambda e: e[0])
    for j, (_, f) in enumerate(order): halfmap[f'{t}/{f}'] = 'tune' if j % 2 == 0 else 'hold'
half = np.array([halfmap.get(it['name'], '') for it in items])
def report(name, s):
    yt, ht = y[te], half[te]
    print(f'{name:58s} ' + ' / '.join(f'{auroc(s[m], yt[m]):.3f}' for m in [ht != 'x', ht == 'tune', ht == 'hold']), flush=True)
# Round-2 scores of the same images, z-scored with the model's validation statistics.
r = json.load(open(f'{MODEL}/report/report.json'))
st = json.load(open(f'{MODEL}/model.json'))['meta']['calibration']['scoreStatistics']
by = {it['name']: it['scores'] for it in r['items']}
names = [it['name'] for it in items if it['split'] == 'test']
zk = lambda k: (np.array([by[n][k] for n in names]) - st[k]['mean']) / st[k]['std']

def padim(F, shrink):
    n, h, w, c = F.shape
    X = F[tr].reshape(-1, h * w, c); mu = X.mean(0)
    prec = np.empty((h * w, c, c), np.float32)
    for p in range(h * w):
        cov = np.cov(X[:, p].T); t = np.trace(cov) / c
        prec[p] = np.linalg.inv((1 - shrink) * cov + shrink * t * np.eye(c) + 1e-6 * np.eye(c))
    A = F.reshape(n, h * w, c) - mu[None]
    return np.sqrt(np.maximum(np.einsum('npc,pcd,npd->np', A, prec, A), 0)).reshape(n, h, w)
def rows(name, M, pixel=True):
    s = M.reshape(N, -1).max(1); zl = (s[te] - s[va].mean()) / s[va].std(ddof=1)
    report(name, s[te]); report('  + featureDensity (mean z-score)', (zl + zk('featureDensity')) / 2)
    if pixel: print('  pixel AUROC %.3f' % auroc(np.stack([zoom(m, S // m.shape[0], order=1) for m in M[te]]).ravel(), masks[te].ravel()), flush=True)
    return s, zl
L = [layer(l) for l in range(len(idx['shapes']))]
pool = lambda x: x.reshape(x.shape[0], x.shape[1] // 2, 2, x.shape[2] // 2, 2, x.shape[3]).mean((2, 4))
up = lambda x, f: np.repeat(np.repeat(x, f, axis=1), f, axis=2)
bil = lambda x, f: zoom(x, (1, f, f, 1), order=1)
report('featureDensity (round 2)', zk('featureDensity')); report('combined (round 2)', np.array([by[n]['combined'] for n in names]))
for shrink in [0.001, 0.01, 0.1, 0.5]:
    rows(f'16x16: block1 + up(block2) + up(block3), shrink {shrink}', padim(np.concatenate([L[1], up(L[2], 2), up(L[3], 4)], 3), shrink))
rows('16x16: block1 only, shrink 0.01', padim(L[1], 0.01))
rows('16x16: block1 + up(block2), shrink 0.01', padim(np.concatenate([L[1], up(L[2], 2)], 3), 0.01))
rows('16x16 bilinear: block1 + block2 + block3, shrink 0.01', padim(np.concatenate([L[1], bil(L[2], 2), bil(L[3], 4)], 3), 0.01))
rows('8x8: block2 + up(block3), shrink 0.01', padim(np.concatenate([L[2], up(L[3], 2)], 3), 0.01))
s, zl = rows('8x8: avgpool(block1) + block2 + up(block3), shrink 0.01 (chosen)', padim(np.concatenate([pool(L[1]), L[2], up(L[3], 2)], 3), 0.01))
fd, rs = zk('featureDensity'), zk('residualStandardised')
report('  + featureDensity + residualStandardised', (zl + fd + rs) / 3)
report('  + residualStandardised', (zl + rs) / 2)
report('  max(z local, z featureDensity)', np.maximum(zl, fd))
for w in [0.3, 0.4, 0.6, 0.7]: report(f'  {w} z local + {1 - w:.1f} z featureDensity', w * zl + (1 - w) * fd)
