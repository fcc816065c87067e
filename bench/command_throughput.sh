#!/usr/bin/env bash
# 2,000 command tasks (/bin/true) at -n 4 (3 workers, one task each at a time), side by side in
# one run with GNU parallel -j 3 and xargs -P 3 on the same commands. The three take turns for
# ROUNDS rounds (default 3) and each tool's median time gives its rate: this machine's speed
# drifts from one second to the next. Every fai-sweep round keeps its own output until the end
# (deleting files between rounds slows the next round's file creation on some filesystems).
# Files go under $TMPDIR (default /tmp): TMPDIR=/dev/shm puts them on tmpfs.
# Usage: bash bench/command_throughput.sh [build-dir] [tasks] [rounds]     (after scripts/build.sh)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${1:-$ROOT/build}"
TASKS="${2:-2000}"
ROUNDS="${3:-3}"
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
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
fai_s=() par_s=() xar_s=()
for round in $(seq "$ROUNDS"); do
  t0=$(now)
  mpirun -n 4 "$BUILD/fai-sweep" "$TMP/canvas.json" "$TMP/grid.yaml" -o "$TMP/r$round.h5" --cpus-per-rank 1 \
    --rows 0 --quiet >/dev/null
  t1=$(now)
  parallel -j 3 /bin/true :::: "$TMP/args"
  t2=$(now)
  xargs -P 3 -n 1 /bin/true < "$TMP/args"
  t3=$(now)
  fai_s+=("$(echo "$t1 - $t0" | bc -l)") par_s+=("$(echo "$t2 - $t1" | bc -l)") xar_s+=("$(echo "$t3 - $t2" | bc -l)")
  printf "round %d: fai-sweep %.2f s   GNU parallel %.2f s   xargs %.2f s\n" "$round" "${fai_s[-1]}" "${par_s[-1]}" "${xar_s[-1]}"
done

fai=$(echo "$TASKS / $(median "${fai_s[@]}")" | bc -l)
par=$(echo "$TASKS / $(median "${par_s[@]}")" | bc -l)
xar=$(echo "$TASKS / $(median "${xar_s[@]}")" | bc -l)
printf "%d commands, median of %d rounds: fai-sweep -n 4 %.0f/s   GNU parallel -j 3 %.0f/s   xargs -P 3 %.0f/s\n" \
  "$TASKS" "$ROUNDS" "$fai" "$par" "$xar"
printf "fai-sweep / GNU parallel = %.1fx   fai-sweep / xargs = %.2fx\n" "$(echo "$fai / $par" | bc -l)" \
  "$(echo "$fai / $xar" | bc -l)"
