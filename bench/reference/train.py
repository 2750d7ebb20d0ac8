"""Trains the seed design's reference model for bench/inference.ts: XGBoost hist,
multi-class softprob, on a binary product-presence vector over the training
PROD_CODE vocabulary plus three basket aggregates (lines, spend, quantity).

Reads the same transaction CSV files (.csv or .csv.gz) our model trains on,
keeps labelled baskets (LA/MM/UM) of weeks <= --to-week, and writes to --out:
  model.json  the booster (XGBoost's JSON format)
  meta.json   vocabulary, labels, feature layout and training facts
Prints one JSON line with the training summary.

Usage: /usr/bin/python3 bench/reference/train.py --out DIR --to-week 200612 \
         [--rounds 100 --depth 6 --eta 0.3 --bins 255 --threads 2] FILE...
"""
import argparse
import csv
import gzip
import json
import os
import time

import numpy as np
import scipy.sparse as sp
import xgboost as xgb

LABELS = ["LA", "MM", "UM"]
AGGREGATES = ["lines", "spend", "quantity"]


def read_baskets(files, to_week):
    """BASKET_ID -> [label, set of PROD_CODE, lines, spend, quantity], labelled baskets only."""
    baskets = {}
    for name in files:
        opener = gzip.open if name.endswith(".gz") else open
        with opener(name, "rt", newline="") as f:
            for row in csv.DictReader(f):
                label = row["BASKET_PRICE_SENSITIVITY"]
                if label not in LABELS or int(row["SHOP_WEEK"]) > to_week:
                    continue
                b = baskets.get(row["BASKET_ID"])
                if b is None:
                    b = baskets[row["BASKET_ID"]] = [label, set(), 0, 0.0, 0.0]
                b[1].add(row["PROD_CODE"])
                b[2] += 1
                b[3] += float(row["SPEND"])
                # The prediction API takes quantity >= 0 (as ours does), so training sees the same.
                b[4] += max(0.0, float(row["QUANTITY"]))
    return baskets


def featurise(baskets, vocab):
    """CSR rows: presence columns 0..V-1, then the aggregates (always stored, so 0 is a value, not missing)."""
    v = len(vocab)
    indptr, indices, data, y = [0], [], [], []
    for label, prods, lines, spend, quantity in baskets.values():
        cols = sorted(vocab[p] for p in prods if p in vocab)
        indices.extend(cols)
        data.extend([1.0] * len(cols))
        indices.extend([v, v + 1, v + 2])
        data.extend([lines, spend, quantity])
        indptr.append(len(indices))
        y.append(LABELS.index(label))
    X = sp.csr_matrix((np.asarray(data, np.float32), np.asarray(indices, np.int32), np.asarray(indptr, np.int64)), shape=(len(y), v + len(AGGREGATES)))
    return X, np.asarray(y, np.int32)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--to-week", type=int, required=True)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--depth", type=int, default=6)
    parser.add_argument("--eta", type=float, default=0.3)
    parser.add_argument("--bins", type=int, default=255)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()

    started = time.perf_counter()
    baskets = read_baskets(args.files, args.to_week)
    vocab = {p: i for i, p in enumerate(sorted({p for b in baskets.values() for p in b[1]}))}
    X, y = featurise(baskets, vocab)
    read_seconds = time.perf_counter() - started

    params = {"objective": "multi:softprob", "num_class": len(LABELS), "tree_method": "hist", "max_depth": args.depth, "eta": args.eta,
              "max_bin": args.bins, "nthread": args.threads, "lambda": 1.0, "seed": 42}
    started = time.perf_counter()
    booster = xgb.train(params, xgb.DMatrix(X, label=y), args.rounds)
    fit_seconds = time.perf_counter() - started

    os.makedirs(args.out, exist_ok=True)
    booster.save_model(os.path.join(args.out, "model.json"))
    meta = {"labels": LABELS, "vocabulary": list(vocab), "aggregates": AGGREGATES, "features": X.shape[1], "baskets": X.shape[0],
            "params": {**params, "rounds": args.rounds}, "xgboost": xgb.__version__}
    with open(os.path.join(args.out, "meta.json"), "w") as f:
        json.dump(meta, f)
    train_accuracy = float((booster.predict(xgb.DMatrix(X)).argmax(1) == y).mean())
    print(json.dumps({"baskets": X.shape[0], "features": X.shape[1], "rounds": args.rounds, "depth": args.depth, "readSeconds": read_seconds,
                      "fitSeconds": fit_seconds, "trainAccuracy": train_accuracy, "xgboost": xgb.__version__}))


if __name__ == "__main__":
    main()
