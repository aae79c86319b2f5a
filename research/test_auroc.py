# Checks auroc.py against counting every (defective, good) pair, ties counting one half.
# Run: python3 research/test_auroc.py   (prints "N passed, 0 failed")
import itertools, sys
import numpy as np
from auroc import auroc, auroc_of, average_ranks


def pairwise(scores, labels):
    pos = [s for s, l in zip(scores, labels) if l]
    neg = [s for s, l in zip(scores, labels) if not l]
    return sum(1.0 if p > n else 0.5 if p == n else 0.0 for p, n in itertools.product(pos, neg)) / (len(pos) * len(neg))


def cases():
    rng = np.random.default_rng(0)
    for n in (2, 3, 10, 57):
        for ties in (False, True):
            s = rng.normal(size=n)
            if ties:
                s = np.round(s)  # many ties
            y = rng.random(n) < 0.4
            y[0], y[1] = True, False  # both classes present
            yield s, y


failed, passed = [], 0
for s, y in cases():
    if abs(auroc(s, y) - pairwise(s, y)) < 1e-12 and abs(auroc_of(s[y], s[~y]) - pairwise(s, y)) < 1e-12:
        passed += 1
    else:
        failed.append((s, y))
ranks_ok = np.allclose(average_ranks([3, 1, 3, 2]), [3.5, 1, 3.5, 2])
passed, failed = passed + ranks_ok, failed + ([] if ranks_ok else ['ranks'])
for check in (lambda: auroc([1, 2], [True, True]), lambda: auroc([1, 2], [True])):
    try:
        check()
        failed.append('no ValueError')
    except ValueError:
        passed += 1
print(f'{passed} passed, {len(failed)} failed')
sys.exit(1 if failed else 0)
