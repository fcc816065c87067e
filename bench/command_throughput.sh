#!/usr/bin/env bash
# 2,000 command tasks (/bin/true) at -n 4 (3 workers, one task each at a time), side by side in
# one run with GNU parallel -j 3 and xargs -P 3 on the same commands.
# Usage: bash bench/command_throughput.sh [build-dir] [tasks]      (after scripts/build.sh)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${1:-$ROOT/build}"
TASKS="${2:-2000}"
source "$ROOT/bench/mpi_env.sh"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

cat > "$TMP/canvas.json" <<JSON
{"version": 1, "name": "command throughput",
 "modules": [{"id": "t", "type": "command", "params": {"argv": ["/bin/true", "{i}"], "i": 0}}]}
JSON
printf 'grid:\n  t.i: {range: [0, %d]}\n' "$TASKS" > "$TMP/grid.yaml"
seq "$TASKS" > "$TMP/args"

now() { date +%s.%N; }
t0=$(now)
mpirun -n 4 "$BUILD/fai-sweep" "$TMP/canvas.json" "$TMP/grid.yaml" -o "$TMP/r.h5" --cpus-per-rank 1 \
  --rows 0 --quiet >/dev/null
t1=$(now)
parallel -j 3 /bin/true :::: "$TMP/args"
t2=$(now)
xargs -P 3 -n 1 /bin/true < "$TMP/args"
t3=$(now)

fai=$(echo "$TASKS / ($t1 - $t0)" | bc -l)
par=$(echo "$TASKS / ($t2 - $t1)" | bc -l)
xar=$(echo "$TASKS / ($t3 - $t2)" | bc -l)
printf "%d commands: fai-sweep -n 4 %.0f/s   GNU parallel -j 3 %.0f/s   xargs -P 3 %.0f/s\n" "$TASKS" "$fai" "$par" "$xar"
printf "fai-sweep / GNU parallel = %.1fx   fai-sweep / xargs = %.2fx\n" "$(echo "$fai / $par" | bc -l)" \
  "$(echo "$fai / $xar" | bc -l)"
