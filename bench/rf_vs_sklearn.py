"""Data and the scikit-learn side of bench/rf_vs_sklearn.sh.

  rf_vs_sklearn.py make-data DIR [--rows 200000] [--test-rows 50000] [--seed 7]
      writes DIR/train.csv and DIR/test.csv: 20 features x0..x19 uniform in [0, 1) and
      label = 10 sin(pi x0 x1) + 20 (x2 - 0.5)^2 + 10 x3 + 5 x4 + 3 sin(2 pi x5) + 2 x6 x7 + N(0, 1)
      (x8..x19 are noise features), values rounded to 6 decimals.
  rf_vs_sklearn.py sklearn TRAIN.csv TEST.csv [--trees 10] [--min-leaf 50] [--threads 2]
      fits sklearn.ensemble.RandomForestRegressor and prints one JSON line like rf_bench.
"""
import argparse
import json
import os
import time

import numpy as np


def make_data(args):
    rng = np.random.default_rng(args.seed)
    os.makedirs(args.dir, exist_ok=True)
    for name, rows in (("train.csv", args.rows), ("test.csv", args.test_rows)):
        x = rng.random((rows, 20))
        y = (10 * np.sin(np.pi * x[:, 0] * x[:, 1]) + 20 * (x[:, 2] - 0.5) ** 2 + 10 * x[:, 3] + 5 * x[:, 4]
             + 3 * np.sin(2 * np.pi * x[:, 5]) + 2 * x[:, 6] * x[:, 7] + rng.standard_normal(rows))
        header = ",".join([f"x{i}" for i in range(20)] + ["label"])
        np.savetxt(os.path.join(args.dir, name), np.column_stack([x, y]), delimiter=",", fmt="%.6f",
                   header=header, comments="")


def run_sklearn(args):
    import sklearn
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.metrics import r2_score

    def load(path):
        data = np.loadtxt(path, delimiter=",", skiprows=1)
        return data[:, :-1], data[:, -1]

    x_train, y_train = load(args.train)
    x_test, y_test = load(args.test)
    model = RandomForestRegressor(n_estimators=args.trees, min_samples_leaf=args.min_leaf, max_features=1.0,
                                  bootstrap=True, n_jobs=args.threads, random_state=0)
    start, cpu_start = time.perf_counter(), time.process_time()
    model.fit(x_train, y_train)
    fitted, fit_cpu = time.perf_counter(), time.process_time() - cpu_start
    prediction = model.predict(x_test)
    predicted = time.perf_counter()
    print(json.dumps({"impl": f"sklearn {sklearn.__version__}", "fit_s": round(fitted - start, 4),
                      "fit_cpu_s": round(fit_cpu, 4),
                      "predict_s": round(predicted - fitted, 4), "r2": round(float(r2_score(y_test, prediction)), 5),
                      "train_rows": len(y_train), "features": x_train.shape[1], "trees": args.trees,
                      "min_leaf": args.min_leaf, "threads": args.threads,
                      "nodes": int(sum(t.tree_.node_count for t in model.estimators_))}))


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("make-data")
    make.add_argument("dir")
    make.add_argument("--rows", type=int, default=200000)
    make.add_argument("--test-rows", type=int, default=50000)
    make.add_argument("--seed", type=int, default=7)
    fit = sub.add_parser("sklearn")
    fit.add_argument("train")
    fit.add_argument("test")
    fit.add_argument("--trees", type=int, default=10)
    fit.add_argument("--min-leaf", type=int, default=50)
    fit.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    make_data(args) if args.command == "make-data" else run_sklearn(args)


if __name__ == "__main__":
    main()
