"""Image and pixel AUROC for the research scripts: one implementation, shared by all of them.

The area under the ROC curve as the Mann-Whitney U statistic with average ranks for ties,
the same definition as `auroc` in packages/ml/src/analysis/roc.ts and scikit-learn's
roc_auc_score. numpy only (scikit-learn is not installable for every Python here).
"""
import numpy as np


def auroc(scores, labels):
    """AUROC of `scores` (higher = more anomalous) for boolean `labels` (True = defective)."""
    s = np.asarray(scores, dtype=float).ravel()
    y = np.asarray(labels, dtype=bool).ravel()
    if s.shape != y.shape:
        raise ValueError(f'{s.size} scores for {y.size} labels')
    positives = int(y.sum())
    negatives = y.size - positives
    if positives == 0 or negatives == 0:
        raise ValueError(f'AUROC needs both classes: {positives} positive, {negatives} negative')
    ranks = average_ranks(s)
    return float((ranks[y].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def auroc_of(positive_scores, negative_scores):
    """AUROC from the scores of the defective (positive) and the good (negative) items."""
    pos, neg = np.asarray(positive_scores, float), np.asarray(negative_scores, float)
    return auroc(np.concatenate([pos, neg]), np.r_[np.ones(pos.size, bool), np.zeros(neg.size, bool)])


def average_ranks(values):
    """1-based ranks; tied values share the mean of their ranks (scipy's rankdata 'average')."""
    v = np.asarray(values, dtype=float)
    order = np.argsort(v, kind='mergesort')
    ordered = v[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], v.size]
    group = np.repeat(np.arange(starts.size), ends - starts)
    ranks = np.empty(v.size)
    ranks[order] = ((starts + ends - 1) / 2 + 1)[group]
    return ranks
