#!/usr/bin/env python3
"""Writes src/test/resources/tasks/metric-golden.json: GLUE's metrics computed by scikit-learn
(accuracy_score, f1_score, matthews_corrcoef) and scipy (pearsonr, spearmanr) on fixed random
cases, as the independent oracle for io.distiltrain.tasks.Metrics (MetricsGoldenTest).

    python3 -m venv /tmp/mg && /tmp/mg/bin/pip install scikit-learn scipy numpy
    /tmp/mg/bin/python data-scripts/make-metric-golden.py [OUT.json]

The cases include ties (for Spearman's average ranks), a single class everywhere (sklearn's MCC
is then 0), predictions of a class the gold never has, no positive at all (F1 0, as sklearn's
zero_division default) and constant regression input (scipy returns NaN, written as null since
JSON has no NaN). The seed is fixed, so rerunning writes the same file.
"""
import json
import sys
import warnings
from pathlib import Path

import numpy as np
import scipy
import sklearn
from scipy.stats import pearsonr, spearmanr
from sklearn.metrics import accuracy_score, f1_score, matthews_corrcoef

OUT = Path(__file__).resolve().parent.parent / "src/test/resources/tasks/metric-golden.json"


def num(x):
    x = float(x)
    return None if np.isnan(x) else x


def classification(name, gold, pred):
    gold, pred = np.asarray(gold, dtype=np.int64), np.asarray(pred, dtype=np.int64)
    case = {"name": name, "gold": gold.tolist(), "pred": pred.tolist(),
            "accuracy": num(accuracy_score(gold, pred)),
            "matthews": num(matthews_corrcoef(gold, pred))}
    if set(gold.tolist()) | set(pred.tolist()) <= {0, 1}:
        case["f1"] = num(f1_score(gold, pred))  # binary, positive class 1, as evaluate's glue metric
        case["f1_positive0"] = num(f1_score(gold, pred, pos_label=0))
    return case


def regression(name, x, y):
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return {"name": name, "x": x.tolist(), "y": y.tolist(),
            "pearson": num(pearsonr(x, y)[0]), "spearman": num(spearmanr(x, y)[0])}


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    # The degenerate cases are on purpose: sklearn and scipy warn about them, and the values they
    # return anyway (0 for MCC and F1, NaN for constant correlation) are what the Java side must match.
    warnings.simplefilter("ignore")
    rng = np.random.default_rng(20261201)
    cls = []
    for n in (5, 17, 100, 1000):
        gold = rng.integers(0, 2, n)
        noisy = np.where(rng.random(n) < 0.3, 1 - gold, gold)  # a classifier right 70% of the time
        cls.append(classification(f"binary-{n}", gold, noisy))
    for k, n in ((3, 60), (3, 997), (5, 250)):
        gold = rng.integers(0, k, n)
        pred = np.where(rng.random(n) < 0.5, gold, rng.integers(0, k, n))
        cls.append(classification(f"{k}-class-{n}", gold, pred))
    cls.append(classification("all-one-class", [1] * 12, [1] * 12))
    cls.append(classification("predicts-one-class", rng.integers(0, 2, 30), [0] * 30))
    cls.append(classification("gold-one-class", [0] * 9, rng.integers(0, 2, 9)))
    cls.append(classification("no-positives", [0] * 8, [0] * 8))
    cls.append(classification("perfectly-wrong", [0, 1, 0, 1, 1, 0], [1, 0, 1, 0, 0, 1]))
    cls.append(classification("predicts-unseen-class", [0, 1, 2, 0, 1, 2, 0], [0, 1, 3, 0, 2, 2, 3]))

    reg = []
    for n in (3, 10, 200):
        x = rng.normal(2.5, 1.2, n)
        reg.append(regression(f"normal-{n}", x, x + rng.normal(0, 0.8, n)))
    # STS-B scores come in steps of 0.2: many ties in the gold, some in the predictions.
    gold = np.round(rng.uniform(0, 5, 150) * 5) / 5
    reg.append(regression("stsb-like-ties", np.round((gold + rng.normal(0, 1, 150)) * 2) / 2, gold))
    reg.append(regression("all-tied-but-one", [1, 1, 1, 1, 2], [3, 1, 4, 1, 5]))
    reg.append(regression("anti", [1, 2, 3, 4], [8, 6, 4, 2]))
    reg.append(regression("large-offset", 1e6 + rng.normal(0, 1, 50), rng.normal(0, 1, 50)))
    reg.append(regression("constant-x", [2.0] * 6, [1, 2, 3, 4, 5, 6]))

    doc = {"generator": "data-scripts/make-metric-golden.py",
           "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "scikit-learn": sklearn.__version__},
           "classification": cls, "regression": reg}
    out.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {out}: {len(cls)} classification and {len(reg)} regression cases")


if __name__ == "__main__":
    main()
