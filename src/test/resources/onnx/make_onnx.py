#!/usr/bin/python3
"""ONNX fixtures for busflow's ONNX model type, made by independent tools: scikit-learn trains, onnx.helper
builds the graphs by hand from the fitted estimators (no converter library), and the golden predictions are
scikit-learn's own predict / predict_proba.

Regenerate (Debian's packages, not a pyenv python):
    apt-get install -y python3-sklearn python3-onnx
    cd src/test/resources/onnx && /usr/bin/python3 make_onnx.py
The Java tests read only the files written here; no Python is needed at test time. Seeds are fixed.

Files:
  DATASET.csv            the test rows: `id`, the feature columns, `target`
  MODEL.onnx             the graph
  MODEL_expected.csv     per test row: `id`, `prediction` (sklearn's predict), then `p_<class>` (predict_proba)
Models:
  iris_linear            LogisticRegression (multinomial) -> ai.onnx.ml LinearClassifier (SOFTMAX) + ZipMap:
                         input `input` float [N,4]; outputs `label` int64 [N], `probabilities` seq(map(int64,float))
  breast_cancer_gb       GradientBoostingClassifier (binary) -> ai.onnx.ml TreeEnsembleClassifier (LOGISTIC):
                         input `input` float [N,30]; outputs `label` int64 [N], `probabilities` float [N,2]
  wine_mlp               StandardScaler + MLPClassifier -> Concat/Sub/Div/MatMul/Add/Relu/Softmax/ArgMax: one
                         input per feature column, float [N,1]; outputs `label` int64 [N], `probabilities` [N,3]
  diabetes_tree          DecisionTreeRegressor -> ai.onnx.ml TreeEnsembleRegressor: input `input` float [N,10];
                         output `variable` float [N,1]; the target is disease progression / 100, because a
                         float32 output holds a value within 1e-5 only below 256
  diabetes_linear_double LinearRegression -> MatMul/Add in double: input `input` double [N,10]; output `variable`
                         double [N,1] (as converters write a model for float64 data)
  diabetes_linear_b1     the same in float with a fixed batch of one row: input float [1,10], output [1,1] (as
                         torch.onnx.export writes a model without dynamic axes)
  diabetes_linear_b4     the same with a fixed batch of four rows: input float [4,10], output [4,1]
                         (the three share diabetes_linear_expected.csv)
  int64_input            a model busflow cannot feed, for its error message: input `input` int64 [N,3]
Tree thresholds are rounded down to float32 so that float32 inputs take the branch scikit-learn takes (it
compares float32 inputs with float64 thresholds).
"""
import csv

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, load_wine
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeRegressor

SEED = 20240607
OPSETS = [helper.make_opsetid("", 13), helper.make_opsetid("ai.onnx.ml", 3)]


def names_of(feature_names):
    return [n.replace(" ", "_").replace("/", "_") for n in feature_names]


def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([repr(float(v)) if isinstance(v, (float, np.floating)) else str(v) for v in r])


def dataset(name, bunch, stratify=True):
    X, y = bunch.data.astype(float), bunch.target
    idx = np.arange(len(X))
    train, test = train_test_split(idx, test_size=0.3, random_state=SEED, stratify=y if stratify else None)
    names = names_of(bunch.feature_names)
    test = np.sort(test)
    write_csv(f"{name}.csv", ["id"] + names + ["target"],
              [[f"{name[0]}{i}"] + list(X[i]) + [y[i]] for i in test])
    return X[train], y[train], X[test], y[test], [f"{name[0]}{i}" for i in test], names


def expected(model_name, ids, pred, proba=None, classes=()):
    header = ["id", "prediction"] + [f"p_{c}" for c in classes]
    rows = []
    for i, row_id in enumerate(ids):
        p = pred[i]
        rows.append([row_id, float(p) if isinstance(p, (float, np.floating)) else p]
                    + ([] if proba is None else list(proba[i])))
    write_csv(f"{model_name}_expected.csv", header, rows)


def save(model_name, nodes, inputs, outputs, initializers=()):
    graph = helper.make_graph(nodes, model_name, inputs, outputs, list(initializers))
    model = helper.make_model(graph, opset_imports=OPSETS, producer_name="busflow make_onnx.py")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, f"{model_name}.onnx")


def float_input(name, width):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, [None, width])


def f32_down(t):
    """The largest float32 at most t: x <= f32_down(t) exactly when float32 x <= t."""
    r = np.float32(t)
    return float(np.nextafter(r, np.float32(-np.inf)) if r > t else r)


def tree_nodes(tree, tree_id):
    """The nodes_* attributes of one sklearn tree, and its leaves as (node id, value)."""
    t = tree.tree_
    a = {k: [] for k in ("treeids", "nodeids", "featureids", "modes", "values", "truenodeids", "falsenodeids")}
    leaves = []
    for n in range(t.node_count):
        leaf = t.children_left[n] == -1
        a["treeids"].append(tree_id)
        a["nodeids"].append(n)
        a["featureids"].append(0 if leaf else int(t.feature[n]))
        a["modes"].append("LEAF" if leaf else "BRANCH_LEQ")
        a["values"].append(0.0 if leaf else f32_down(t.threshold[n]))
        a["truenodeids"].append(0 if leaf else int(t.children_left[n]))
        a["falsenodeids"].append(0 if leaf else int(t.children_right[n]))
        if leaf:
            leaves.append((n, t.value[n].ravel()))
    return {"nodes_" + k: v for k, v in a.items()}, leaves


def merged(per_tree):
    out = {}
    for attrs in per_tree:
        for k, v in attrs.items():
            out.setdefault(k, []).extend(v)
    return out


def map_type(key, value):
    """map(key, value) as a TypeProto (onnx 1.12's helper has no make_map_type_proto)."""
    t = onnx.TypeProto()
    t.map_type.key_type = key
    t.map_type.value_type.CopyFrom(helper.make_tensor_type_proto(value, []))
    return t


def iris_linear():
    Xtr, ytr, Xte, yte, ids, names = dataset("iris", load_iris())
    lr = LogisticRegression(max_iter=1000).fit(Xtr, ytr)
    classes = [int(c) for c in lr.classes_]
    nodes = [helper.make_node("LinearClassifier", ["input"], ["label", "scores"], domain="ai.onnx.ml",
                              coefficients=lr.coef_.ravel().tolist(), intercepts=lr.intercept_.tolist(),
                              classlabels_ints=classes, post_transform="SOFTMAX"),
             helper.make_node("ZipMap", ["scores"], ["probabilities"], domain="ai.onnx.ml",
                              classlabels_int64s=classes)]
    prob_type = helper.make_sequence_type_proto(map_type(TensorProto.INT64, TensorProto.FLOAT))
    save("iris_linear", nodes, [float_input("input", len(names))],
         [helper.make_tensor_value_info("label", TensorProto.INT64, [None]),
          helper.make_value_info("probabilities", prob_type)])
    expected("iris_linear", ids, lr.predict(Xte), lr.predict_proba(Xte), classes)


def breast_cancer_gb():
    Xtr, ytr, Xte, yte, ids, names = dataset("breast_cancer", load_breast_cancer())
    gb = GradientBoostingClassifier(n_estimators=40, max_depth=3, random_state=SEED).fit(Xtr, ytr)
    base = float(gb._raw_predict_init(Xte[:1])[0][0])
    per_tree, cls = [], {"class_treeids": [], "class_nodeids": [], "class_ids": [], "class_weights": []}
    for i, est in enumerate(gb.estimators_[:, 0]):
        attrs, leaves = tree_nodes(est, i)
        per_tree.append(attrs)
        for n, v in leaves:
            cls["class_treeids"].append(i)
            cls["class_nodeids"].append(n)
            cls["class_ids"].append(0)
            cls["class_weights"].append(float(gb.learning_rate * v[0]))
    raw = gb.decision_function(Xte)
    assert np.allclose(raw, base + gb.learning_rate * sum(e.predict(Xte.astype(np.float32)) for e in gb.estimators_[:, 0]))
    classes = [int(c) for c in gb.classes_]
    node = helper.make_node("TreeEnsembleClassifier", ["input"], ["label", "probabilities"], domain="ai.onnx.ml",
                            classlabels_int64s=classes, post_transform="LOGISTIC", base_values=[base],
                            **merged(per_tree), **cls)
    save("breast_cancer_gb", [node], [float_input("input", len(names))],
         [helper.make_tensor_value_info("label", TensorProto.INT64, [None]),
          helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, len(classes)])])
    expected("breast_cancer_gb", ids, gb.predict(Xte), gb.predict_proba(Xte), classes)


def wine_mlp():
    Xtr, ytr, Xte, yte, ids, names = dataset("wine", load_wine())
    pipe = Pipeline([("scale", StandardScaler()),
                     ("mlp", MLPClassifier(hidden_layer_sizes=(16,), max_iter=3000, random_state=SEED))]).fit(Xtr, ytr)
    sc, mlp = pipe.named_steps["scale"], pipe.named_steps["mlp"]
    assert mlp.out_activation_ == "softmax"
    init = [numpy_helper.from_array(np.asarray(a, dtype=np.float32), n) for n, a in [
        ("mean", sc.mean_), ("scale", sc.scale_), ("w1", mlp.coefs_[0]), ("b1", mlp.intercepts_[0]),
        ("w2", mlp.coefs_[1]), ("b2", mlp.intercepts_[1])]]
    nodes = [helper.make_node("Concat", names, ["x"], axis=1),
             helper.make_node("Sub", ["x", "mean"], ["centred"]),
             helper.make_node("Div", ["centred", "scale"], ["scaled"]),
             helper.make_node("MatMul", ["scaled", "w1"], ["h1"]),
             helper.make_node("Add", ["h1", "b1"], ["z1"]),
             helper.make_node("Relu", ["z1"], ["a1"]),
             helper.make_node("MatMul", ["a1", "w2"], ["h2"]),
             helper.make_node("Add", ["h2", "b2"], ["z2"]),
             helper.make_node("Softmax", ["z2"], ["probabilities"], axis=1),
             helper.make_node("ArgMax", ["probabilities"], ["label"], axis=1, keepdims=0)]
    classes = [int(c) for c in mlp.classes_]
    assert classes == list(range(len(classes)))
    save("wine_mlp", nodes, [float_input(n, 1) for n in names],
         [helper.make_tensor_value_info("label", TensorProto.INT64, [None]),
          helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, len(classes)])], init)
    expected("wine_mlp", ids, pipe.predict(Xte), pipe.predict_proba(Xte), classes)


def diabetes_tree():
    bunch = load_diabetes()
    bunch.target = bunch.target / 100.0  # float32 outputs hold a value within 1e-5 only below 256
    Xtr, ytr, Xte, yte, ids, names = dataset("diabetes", bunch, stratify=False)
    tree = DecisionTreeRegressor(max_depth=5, min_samples_leaf=5, random_state=SEED).fit(Xtr, ytr)
    attrs, leaves = tree_nodes(tree, 0)
    assert max(abs(v[0]) for _, v in leaves) < 256
    node = helper.make_node("TreeEnsembleRegressor", ["input"], ["variable"], domain="ai.onnx.ml", n_targets=1,
                            aggregate_function="SUM", post_transform="NONE", **attrs,
                            target_treeids=[0] * len(leaves), target_nodeids=[n for n, _ in leaves],
                            target_ids=[0] * len(leaves), target_weights=[float(v[0]) for _, v in leaves])
    save("diabetes_tree", [node], [float_input("input", len(names))],
         [helper.make_tensor_value_info("variable", TensorProto.FLOAT, [None, 1])])
    expected("diabetes_tree", ids, tree.predict(Xte))


def diabetes_linear():
    bunch = load_diabetes()
    bunch.target = bunch.target / 100.0  # as diabetes_tree: the same diabetes.csv
    Xtr, ytr, Xte, yte, ids, names = dataset("diabetes", bunch, stratify=False)
    lr = LinearRegression().fit(Xtr, ytr)
    for name, elem, rows in [("diabetes_linear_double", TensorProto.DOUBLE, None),
                             ("diabetes_linear_b1", TensorProto.FLOAT, 1), ("diabetes_linear_b4", TensorProto.FLOAT, 4)]:
        dtype = np.float64 if elem == TensorProto.DOUBLE else np.float32
        init = [numpy_helper.from_array(lr.coef_.reshape(-1, 1).astype(dtype), "W"),
                numpy_helper.from_array(np.array([lr.intercept_], dtype=dtype), "b")]
        nodes = [helper.make_node("MatMul", ["input", "W"], ["xw"]), helper.make_node("Add", ["xw", "b"], ["variable"])]
        save(name, nodes, [helper.make_tensor_value_info("input", elem, [rows, len(names)])],
             [helper.make_tensor_value_info("variable", elem, [rows, 1])], init)
    expected("diabetes_linear", ids, lr.predict(Xte))


def int64_input():
    w = numpy_helper.from_array(np.ones((3, 1), dtype=np.float32), "W")
    nodes = [helper.make_node("Cast", ["input"], ["f"], to=TensorProto.FLOAT),
             helper.make_node("MatMul", ["f", "W"], ["variable"])]
    save("int64_input", nodes, [helper.make_tensor_value_info("input", TensorProto.INT64, [None, 3])],
         [helper.make_tensor_value_info("variable", TensorProto.FLOAT, [None, 1])], [w])


if __name__ == "__main__":
    iris_linear()
    breast_cancer_gb()
    wine_mlp()
    diabetes_tree()
    diabetes_linear()
    int64_input()
