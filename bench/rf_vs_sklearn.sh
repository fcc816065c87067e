#!/usr/bin/env bash
# Random forest: fai (bench/rf_bench.cc) against scikit-learn's RandomForestRegressor on the same
# CSV: 200,000 train rows x 20 features, 50,000 held-out rows, 10 trees, min leaf 50, 2 threads
# each. Prints both JSON lines and the ratios. Usage:
#   bash bench/rf_vs_sklearn.sh [BUILD_DIR]      (default build/; needs target rf_bench)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD_DIR="${1:-$ROOT/build}"
DATA="$(mktemp -d /tmp/rf_vs_sklearn.XXXXXX)"
trap 'rm -rf "$DATA"' EXIT
PY=/usr/bin/python3

"$PY" "$ROOT/bench/rf_vs_sklearn.py" make-data "$DATA"
FAI=$("$BUILD_DIR/bench/rf_bench" "$DATA/train.csv" "$DATA/test.csv" --trees 10 --min-leaf 50 --threads 2)
SKL=$("$PY" "$ROOT/bench/rf_vs_sklearn.py" sklearn "$DATA/train.csv" "$DATA/test.csv" --trees 10 --min-leaf 50 --threads 2)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "$FAI"
echo "$SKL"
"$PY" - "$FAI" "$SKL" <<'PY'
import json, sys
fai, skl = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"fit wall: fai {fai['fit_s']:.3f} s, {skl['impl']} {skl['fit_s']:.3f} s -> {skl['fit_s'] / fai['fit_s']:.1f}x faster")
print(f"fit CPU:  fai {fai['fit_cpu_s']:.3f} s, {skl['impl']} {skl['fit_cpu_s']:.3f} s -> {skl['fit_cpu_s'] / fai['fit_cpu_s']:.1f}x less")
print(f"held-out R^2: fai {fai['r2']:.4f}, sklearn {skl['r2']:.4f} (difference {fai['r2'] - skl['r2']:+.4f})")
PY
