#!/usr/bin/python3
"""Golden files for busflow's data.transform / data.model / data.metrics tests, made by scikit-learn.

Regenerate (Debian's scikit-learn, not a pyenv python):
    apt-get install -y python3-sklearn
    cd src/test/resources/golden && /usr/bin/python3 make_golden.py
The Java tests read only the files written here; no Python is needed at test time. Every random choice
uses a fixed seed, so a rerun with the same scikit-learn version rewrites the same files.

Files, for each dataset NAME:
  NAME.csv               the data: feature columns, `target`, `split` (train/test); empty field = missing
  NAME_expected.json     sklearn's fitted parameters and test-set metrics (and the sklearn version);
                         for classifiers also `objective`, the value sklearn's lbfgs reached
  NAME_test_pred.csv     per test row: `row` (0-based row of NAME.csv), `prediction`, then `p_<class>`
                         probabilities (classifiers) -- scikit-learn's own outputs
Datasets: breast_cancer (binary; 3% of five columns blanked; mean impute + standard scale + logistic),
iris (3 text classes; standard scale + multinomial logistic), wine (3 numeric classes; 3% of four columns
blanked; median impute + standard scale + multinomial logistic), diabetes (regression; LinearRegression
and Ridge(alpha=1)), and `mixed` (synthetic, with missing values, ties, a constant column and levels
unseen at fit time) whose expected transformed matrix is mixed_transformed.csv.
"""
import csv
import json

import numpy as np
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, load_wine
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.metrics import (accuracy_score, confusion_matrix, f1_score, log_loss, mean_absolute_error,
                             mean_squared_error, precision_score, r2_score, recall_score, roc_auc_score)
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, StandardScaler

SEED = 20240607


def fmt(v):
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    if isinstance(v, (float, np.floating)):
        return repr(float(v))
    return str(v)


def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([fmt(v) for v in r])


def blank(X, columns, rate, rng):
    X = X.astype(float).copy()
    for c in columns:
        X[rng.random(len(X)) < rate, c] = np.nan
    return X


def names_of(feature_names):
    return [n.replace(" ", "_").replace("/", "_") for n in feature_names]


def split_of(n, y, stratify=True):
    idx = np.arange(n)
    train, test = train_test_split(idx, test_size=0.3, random_state=SEED, stratify=y if stratify else None)
    split = np.array(["train"] * n, dtype=object)
    split[test] = "test"
    return np.sort(train), np.sort(test), split


def write_data(name, names, X, y, split):
    rows = [list(X[i]) + [y[i], split[i]] for i in range(len(X))]
    write_csv(f"{name}.csv", names + ["target", "split"], rows)


def classifier(name, bunch, imputer, blank_cols, classes_as_text=False):
    rng = np.random.default_rng(SEED)
    X = blank(bunch.data, blank_cols, 0.03, rng)
    y = np.array([bunch.target_names[t] for t in bunch.target]) if classes_as_text else bunch.target
    train, test, split = split_of(len(X), y)
    names = names_of(bunch.feature_names)
    write_data(name, names, X, y, split)
    steps = ([("impute", SimpleImputer(strategy=imputer))] if imputer else []) + [
        ("scale", StandardScaler()), ("model", LogisticRegression(C=1.0, max_iter=100000, tol=1e-10))]
    pipe = Pipeline(steps).fit(X[train], y[train])
    model = pipe.named_steps["model"]
    proba = pipe.predict_proba(X[test])
    pred = pipe.predict(X[test])
    classes = list(model.classes_)
    # The minimized objective C*sum(logloss) + 1/2*||W||^2 at sklearn's solution, on the training rows:
    # lbfgs stops on a relative-reduction test (ftol) a little before the exact optimum, so an exact
    # Newton solver must reach this value or a lower one.
    p_train = pipe.predict_proba(X[train])
    hit = p_train[np.arange(len(train)), np.searchsorted(model.classes_, y[train])]
    objective = float(-np.sum(np.log(hit)) + 0.5 * np.sum(model.coef_ ** 2))
    write_csv(f"{name}_test_pred.csv", ["row", "prediction"] + [f"p_{c}" for c in classes],
              [[int(test[i]), pred[i]] + list(proba[i]) for i in range(len(test))])
    expected = {
        "sklearn_version": sklearn.__version__,
        "features": names,
        "classes": [c if isinstance(c, str) else int(c) for c in classes],
        "n_train": len(train), "n_test": len(test),
        "imputer_fill": list(pipe.named_steps["impute"].statistics_) if imputer else None,
        "scaler_mean": list(pipe.named_steps["scale"].mean_),
        "scaler_scale": list(pipe.named_steps["scale"].scale_),
        "coef": model.coef_.tolist(), "intercept": model.intercept_.tolist(), "n_iter": int(model.n_iter_[0]),
        "objective": objective,
        "accuracy": accuracy_score(y[test], pred),
        "log_loss": log_loss(y[test], proba, labels=classes),
        "precision_macro": precision_score(y[test], pred, average="macro", zero_division=0),
        "recall_macro": recall_score(y[test], pred, average="macro", zero_division=0),
        "f1_macro": f1_score(y[test], pred, average="macro", zero_division=0),
        "confusion_matrix": confusion_matrix(y[test], pred, labels=classes).tolist(),
    }
    if len(classes) == 2:
        expected["roc_auc"] = roc_auc_score(y[test], proba[:, 1])
    with open(f"{name}_expected.json", "w") as f:
        json.dump(expected, f, indent=1)


def regression():
    bunch = load_diabetes()
    X, y = bunch.data, bunch.target
    train, test, split = split_of(len(X), y, stratify=False)
    names = names_of(bunch.feature_names)
    write_data("diabetes", names, X, y, split)
    expected = {"sklearn_version": sklearn.__version__, "features": names, "n_test": len(test)}
    preds = []
    for key, model in (("ols", LinearRegression()), ("ridge", Ridge(alpha=1.0))):
        model.fit(X[train], y[train])
        p = model.predict(X[test])
        preds.append(p)
        expected[key] = {"coef": model.coef_.tolist(), "intercept": float(model.intercept_),
                         "r2": r2_score(y[test], p), "mae": mean_absolute_error(y[test], p),
                         "rmse": float(np.sqrt(mean_squared_error(y[test], p)))}
    write_csv("diabetes_test_pred.csv", ["row", "ols", "ridge"],
              [[int(test[i]), preds[0][i], preds[1][i]] for i in range(len(test))])
    with open("diabetes_expected.json", "w") as f:
        json.dump(expected, f, indent=1)


def mixed():
    """60 train + 20 test rows: median/mean/most_frequent imputation, standard and min-max scaling,
    one-hot with handle_unknown='ignore'. cat_a's training counts tie between 'amber' and 'blue' (sklearn
    keeps the smaller, 'amber'); `const` is constant (std 0 -> divided by 1); test rows hold the levels
    'violet' and 'z' never seen at fit time."""
    rng = np.random.default_rng(SEED)
    n_train, n_test = 60, 20
    n = n_train + n_test
    num_a = np.round(rng.normal(50, 10, n), 3)
    num_a[rng.random(n) < 0.12] = np.nan
    num_b = rng.integers(0, 6, n).astype(float)
    num_b[rng.random(n) < 0.1] = np.nan
    num_c = np.round(rng.uniform(-3, 7, n), 4)
    num_c[rng.random(n) < 0.1] = np.nan
    const = np.full(n, 5.0)
    cat_a = np.array((["amber"] * 18 + ["blue"] * 18 + ["cyan"] * 12 + [None] * 12)
                     + list(rng.choice(["amber", "blue", "cyan", "violet", None], n_test)), dtype=object)
    cat_a[:n_train] = rng.permutation(cat_a[:n_train])
    cat_b = np.array(list(rng.choice(["x", "y"], n_train)) + list(rng.choice(["x", "y", "z"], n_test)), dtype=object)
    split = np.array(["train"] * n_train + ["test"] * n_test, dtype=object)
    header = ["num_a", "num_b", "num_c", "const", "cat_a", "cat_b", "split"]
    cols = [num_a, num_b, num_c, const, cat_a, cat_b, split]
    write_csv("mixed.csv", header, [[c[i] for c in cols] for i in range(n)])

    num = np.column_stack([num_a, num_b, const])
    cats = np.column_stack([cat_a, cat_b]).astype(object)
    cats_missing = np.where(cats == None, np.nan, cats)  # noqa: E711 (sklearn wants NaN for object missing)
    tr = slice(0, n_train)
    num_pipe = Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]).fit(num[tr])
    mm_pipe = Pipeline([("impute", SimpleImputer(strategy="mean")), ("scale", MinMaxScaler())]).fit(
        num_c[tr].reshape(-1, 1))
    cat_pipe = Pipeline([("impute", SimpleImputer(strategy="most_frequent")),
                         ("onehot", OneHotEncoder(handle_unknown="ignore", sparse_output=False))]).fit(cats_missing[tr])
    enc = cat_pipe.named_steps["onehot"]
    levels = {name: list(c) for name, c in zip(["cat_a", "cat_b"], enc.categories_)}
    features = ["num_a", "num_b", "const", "num_c"] + [f"{c}={lv}" for c in ["cat_a", "cat_b"] for lv in levels[c]]
    out = np.column_stack([num_pipe.transform(num), mm_pipe.transform(num_c.reshape(-1, 1)),
                           cat_pipe.transform(cats_missing)])
    write_csv("mixed_transformed.csv", features, out.tolist())
    unknown = int(sum(1 for i in range(n_train, n) for c, j in (("cat_a", 0), ("cat_b", 1))
                      if cats[i, j] is not None and cats[i, j] not in levels[c]))
    expected = {
        "sklearn_version": sklearn.__version__, "features": features, "levels": levels,
        "median": list(num_pipe.named_steps["impute"].statistics_),
        "most_frequent": list(cat_pipe.named_steps["impute"].statistics_),
        "unknown_in_all_rows": unknown,
    }
    with open("mixed_expected.json", "w") as f:
        json.dump(expected, f, indent=1)


if __name__ == "__main__":
    classifier("breast_cancer", load_breast_cancer(), "mean", [0, 3, 7, 12, 20])
    classifier("iris", load_iris(), None, [], classes_as_text=True)
    classifier("wine", load_wine(), "median", [1, 4, 9, 12])
    regression()
    mixed()
