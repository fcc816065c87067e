#!/usr/bin/env bash
# Dedup payoff: the quant example (examples/quant_rf/canvas.json) with its 16-combination
# model-only grid (grid16.yaml: only m12 is swept), run with dedup and with --no-dedup on the same
# MPI layout, alternating, ROUNDS times each. Prints every run's wall and CPU seconds, the best of
# each mode and their ratio, and checks that both modes give the same summary (wall_s aside).
#   bash bench/dedup_payoff.sh [BUILD_DIR]     (default build/)
#   env: FAI_RANKS (4), FAI_ROUNDS (2)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD_DIR="${1:-$ROOT/build}"
RANKS="${FAI_RANKS:-4}"
ROUNDS="${FAI_ROUNDS:-2}"
OUT="$(mktemp -d /tmp/dedup_payoff.XXXXXX)"
trap 'rm -rf "$OUT"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1   # Open MPI refuses root otherwise
cd "$ROOT"

run() {  # run NAME [fai-sweep flags...]: appends "NAME wall user sys" to $OUT/times
  local name="$1"
  shift
  local start end
  start=$(date +%s%N)
  /usr/bin/time -f "%U %S" -o "$OUT/cpu" mpirun -n "$RANKS" --oversubscribe "$BUILD_DIR/fai-sweep" \
    examples/quant_rf/canvas.json examples/quant_rf/grid16.yaml -o "$OUT/$name.h5" --fresh "$@" > "$OUT/$name.log" 2>&1
  end=$(date +%s%N)
  local ms=$(((end - start) / 1000000))
  echo "$name $((ms / 1000)).$(printf %03d $((ms % 1000))) $(cat "$OUT/cpu")" | tee -a "$OUT/times"
  tail -1 "$OUT/$name.log"
}

echo "grid16: 16 combinations, $RANKS ranks, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$ROUNDS"); do
  run dedup
  run no-dedup --no-dedup
done

/usr/bin/python3 - "$OUT" <<'PY'
import sys, h5py, pandas as pd
out = sys.argv[1]
runs = {}
for line in open(f"{out}/times"):
    name, wall, user, sys_ = line.split()
    runs.setdefault(name, []).append((float(wall), float(user) + float(sys_)))
best = {name: min(r) for name, r in runs.items()}
for name, (wall, cpu) in best.items():
    print(f"best {name:9s} wall {wall:6.2f} s   CPU {cpu:6.2f} s")
print(f"dedup saves {best['no-dedup'][0] / best['dedup'][0]:.1f}x wall time, "
      f"{best['no-dedup'][1] / best['dedup'][1]:.1f}x CPU time")
def summary(name):
    df = pd.DataFrame(h5py.File(f"{out}/{name}.h5", "r")["summary"][()])
    return df.drop(columns=["wall_s"]).set_index("combo").sort_index()
same = summary("dedup").equals(summary("no-dedup"))
print("summaries identical (wall_s aside):", same)
sys.exit(0 if same else 1)
PY
