"""XGBoost 'hist' on exported features: the reference for bench/ml.ts.
Usage: /usr/bin/python3 bench/reference/xgboost_hist.py train.svm test.svm n_features rounds depth eta bins threads"""
import json, sys, time
import xgboost as xgb
from sklearn.datasets import load_svmlight_files

train, test, n_features = sys.argv[1], sys.argv[2], int(sys.argv[3])
rounds, depth, eta, bins, threads = int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])
Xtr, ytr, Xte, yte = load_svmlight_files([train, test], zero_based=True, n_features=n_features)
dtrain, dtest = xgb.DMatrix(Xtr, label=ytr), xgb.DMatrix(Xte, label=yte)
params = {"objective": "multi:softprob", "num_class": 3, "tree_method": "hist", "max_depth": depth, "eta": eta, "max_bin": bins,
          "nthread": threads, "lambda": 1.0, "min_child_weight": 1e-3}
started = time.perf_counter()
booster = xgb.train(params, dtrain, rounds)
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "accuracy": float((booster.predict(dtest).argmax(1) == yte).mean())}))
