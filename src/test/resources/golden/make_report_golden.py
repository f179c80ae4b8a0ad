#!/usr/bin/python3
"""Golden file for the numbers behind busflow's report plots, class weights and cross-validation, made by
scikit-learn from the data make_golden.py wrote (this script reads those files and changes none of them).

Regenerate (Debian's scikit-learn, not a pyenv python):
    cd src/test/resources/golden && /usr/bin/python3 make_report_golden.py
Writes report_expected.json:
  curves.breast_cancer / curves.ties   roc_curve (drop_intermediate=True), precision_recall_curve,
                                       roc_auc_score, average_precision_score and calibration_curve
                                       (n_bins=10, uniform; counts per non-empty bin as it bins them) of
                                       scikit-learn's test probabilities p_1 (breast_cancer_test_pred.csv),
                                       and of 1000 synthetic scores rounded to 2 decimals (many ties; the
                                       scores and labels are in the file). An infinite threshold is null.
  class_report.NAME                    classification_report(output_dict=True) and confusion_matrix of
                                       scikit-learn's test predictions, NAME in breast_cancer, iris, wine
  residuals                            numpy's summary of diabetes' ridge test residuals (actual - predicted)
  balanced.NAME                        coef_/intercept_ of impute + StandardScaler + LogisticRegression(
                                       class_weight='balanced', C=1, tol=1e-10) on the training rows
  cv.breast_cancer / cv.diabetes       k-fold cross-validation on the training rows (split == train) by
                                       busflow's fold rule (below): per fold its row counts and metrics,
                                       then mean and std (numpy, ddof=0) of each metric
busflow's fold rule, for k folds: take the training rows in file order; stratified, the j-th row (0-based)
of each class goes to fold j % k; not stratified, the j-th training row goes to fold j % k. Fold f tests
on its rows and trains (preprocessing and model) on the rest; PredefinedSplit reproduces it.
"""
import csv
import json

import numpy as np
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import (accuracy_score, average_precision_score, classification_report,
                             confusion_matrix, f1_score, log_loss, mean_absolute_error, mean_squared_error,
                             precision_recall_curve, precision_score, r2_score, recall_score, roc_auc_score,
                             roc_curve)
from sklearn.model_selection import PredefinedSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

SEED = 20240607
K = 5


def read(name):
    with open(name, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def column(header, rows, name, conv=float):
    j = header.index(name)
    return np.array([conv(r[j]) if r[j] != "" else np.nan for r in rows], dtype=object if conv is str else float)


def data(name, text_target=False):
    header, rows = read(f"{name}.csv")
    features = [h for h in header if h not in ("target", "split")]
    X = np.column_stack([column(header, rows, c) for c in features])
    y = column(header, rows, "target", str if text_target else float)
    split = column(header, rows, "split", str)
    return features, X, y, split


def nulls(a):
    return [None if not np.isfinite(v) else float(v) for v in a]


def curves(y, p):
    fpr, tpr, th = roc_curve(y, p)
    th = np.r_[np.inf, th[1:]]  # sklearn >= 1.3 writes inf for the first threshold; 1.2 writes max + 1
    prec, rec, pth = precision_recall_curve(y, p)
    prob_true, prob_pred = calibration_curve(y, p, n_bins=10, strategy="uniform")
    binids = np.searchsorted(np.linspace(0.0, 1.0, 11)[1:-1], p)
    counts = np.bincount(binids, minlength=10)
    return {
        "roc": {"fpr": nulls(fpr), "tpr": nulls(tpr), "thresholds": nulls(th)},
        "roc_auc": roc_auc_score(y, p),
        "pr": {"precision": nulls(prec), "recall": nulls(rec), "thresholds": nulls(np.r_[pth, np.inf])},
        "average_precision": average_precision_score(y, p),
        "calibration": {"index": [int(i) for i in np.nonzero(counts)[0]], "mean_predicted": nulls(prob_pred),
                        "fraction_positive": nulls(prob_true), "count": [int(c) for c in counts[counts > 0]]},
    }


def test_predictions(name, text_target=False):
    _, _, y, split = data(name, text_target)
    header, rows = read(f"{name}_test_pred.csv")
    pred = column(header, rows, "prediction", str if text_target else float)
    return y[split == "test"], pred, header, rows


def class_report(name, text_target=False):
    y, pred, _, _ = test_predictions(name, text_target)
    labels = sorted(set(y) | set(pred))
    report = classification_report(y, pred, output_dict=True, zero_division=0)
    key = {lab: lab if text_target else str(int(lab)) for lab in labels}
    return {"labels": [key[lab] for lab in labels],
            "per_class": [report[str(lab)] for lab in labels],
            "accuracy": report["accuracy"], "macro": report["macro avg"], "weighted": report["weighted avg"],
            "confusion_matrix": confusion_matrix(y, pred, labels=labels).tolist()}


def classifier_pipe(imputer, **kw):
    steps = ([("impute", SimpleImputer(strategy=imputer))] if imputer else []) + [
        ("scale", StandardScaler()), ("model", LogisticRegression(C=1.0, max_iter=100000, tol=1e-10, **kw))]
    return Pipeline(steps)


def balanced(name, imputer):
    _, X, y, split = data(name)
    train = split == "train"
    model = classifier_pipe(imputer, class_weight="balanced").fit(X[train], y[train]).named_steps["model"]
    return {"coef": model.coef_.tolist(), "intercept": model.intercept_.tolist(),
            "classes": [int(c) for c in model.classes_]}


def folds(y, stratified):
    fold = np.zeros(len(y), dtype=int)
    groups = [np.nonzero(y == c)[0] for c in np.unique(y)] if stratified else [np.arange(len(y))]
    for idx in groups:
        fold[idx] = np.arange(len(idx)) % K
    return fold


def classification_metrics(y, pred, proba):
    return {"accuracy": accuracy_score(y, pred),
            "precision_macro": precision_score(y, pred, average="macro", zero_division=0),
            "recall_macro": recall_score(y, pred, average="macro", zero_division=0),
            "f1_macro": f1_score(y, pred, average="macro", zero_division=0),
            "log_loss": log_loss(y, proba), "roc_auc": roc_auc_score(y, proba[:, 1]),
            "average_precision": average_precision_score(y, proba[:, 1])}


def regression_metrics(y, pred):
    return {"rmse": float(np.sqrt(mean_squared_error(y, pred))), "mae": mean_absolute_error(y, pred),
            "r2": r2_score(y, pred)}


def cross_validate(name, make, stratified, metrics):
    _, X, y, split = data(name)
    X, y = X[split == "train"], y[split == "train"]
    out = []
    for tr, te in PredefinedSplit(folds(y, stratified)).split():
        model = make().fit(X[tr], y[tr])
        m = metrics(y[te], model.predict(X[te]), model.predict_proba(X[te])) if stratified else \
            metrics(y[te], model.predict(X[te]))
        out.append({"train_rows": len(tr), "test_rows": len(te), "metrics": m})
    keys = out[0]["metrics"].keys()
    return {"folds": out, "stratified": stratified,
            "mean": {k: float(np.mean([f["metrics"][k] for f in out])) for k in keys},
            "std": {k: float(np.std([f["metrics"][k] for f in out])) for k in keys}}


def residuals():
    _, _, y, split = data("diabetes")
    header, rows = read("diabetes_test_pred.csv")
    r = y[split == "test"] - column(header, rows, "ridge")
    return {"mean": float(np.mean(r)), "std": float(np.std(r)), "min": float(np.min(r)),
            "p25": float(np.percentile(r, 25)), "median": float(np.median(r)), "p75": float(np.percentile(r, 75)),
            "max": float(np.max(r)), "rows": len(r)}


def main():
    y, _, header, rows = test_predictions("breast_cancer")
    rng = np.random.default_rng(SEED)
    scores = np.round(rng.uniform(0, 1, 1000), 2)
    labels = (rng.uniform(0, 1, 1000) < scores).astype(int)
    expected = {
        "sklearn_version": sklearn.__version__,
        "curves": {"breast_cancer": curves(y, column(header, rows, "p_1")),
                   "ties": dict(curves(labels, scores), scores=scores.tolist(), labels=labels.tolist())},
        "class_report": {"breast_cancer": class_report("breast_cancer"), "iris": class_report("iris", True),
                         "wine": class_report("wine")},
        "residuals": residuals(),
        "balanced": {"breast_cancer": balanced("breast_cancer", "mean"), "wine": balanced("wine", "median")},
        "cv": {"breast_cancer": cross_validate("breast_cancer", lambda: classifier_pipe("mean"), True,
                                               classification_metrics),
               "diabetes": cross_validate("diabetes", LinearRegression, False, regression_metrics)},
    }
    with open("report_expected.json", "w") as f:
        json.dump(expected, f, indent=1)


if __name__ == "__main__":
    main()
