"""scikit-learn's LogisticRegression (lbfgs) on exported features: the reference for bench/ml.ts.
Usage: /usr/bin/python3 bench/reference/sklearn_lr.py train.svm test.svm n_features C max_iter tol"""
import json, sys, time
from sklearn.datasets import load_svmlight_files
from sklearn.linear_model import LogisticRegression

train, test, n_features, C, max_iter, tol = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
Xtr, ytr, Xte, yte = load_svmlight_files([train, test], zero_based=True, n_features=n_features)
started = time.perf_counter()
model = LogisticRegression(C=C, solver="lbfgs", max_iter=max_iter, tol=tol).fit(Xtr, ytr)
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "iterations": int(model.n_iter_[0]), "accuracy": float((model.predict(Xte) == yte).mean())}))
