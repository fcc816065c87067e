#!/usr/bin/env bash
# 2,000 command tasks (/bin/true) at -n 4 (3 workers, one task each at a time), side by side in
# one run with GNU parallel -j 3 and xargs -P 3 on the same commands. The tools take turns for
# ROUNDS rounds (default 3) and each one's median time gives its rate: this machine's speed
# drifts from one second to the next. fai-sweep runs twice a round: with its files (result file,
# journal, task directories) under $TMPDIR (default /tmp), and under /dev/shm (tmpfs) where that
# exists, since each task's directory and task.json cost what the filesystem charges for two new
# inodes (xargs and parallel create none). Every fai-sweep round keeps its files until the end
# (deleting files slows the next creations on ext4 without a journal: it skips inodes freed in the
# last minutes one by one).
# Usage: bash bench/command_throughput.sh [build-dir] [tasks] [rounds]     (after scripts/build.sh)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${1:-$ROOT/build}"
TASKS="${2:-2000}"
ROUNDS="${3:-3}"
source "$ROOT/bench/mpi_env.sh"
TMP="$(mktemp -d)"
SHM=""
if [ -d /dev/shm ] && [ -w /dev/shm ] && [ "$(stat -f -c %T "$TMP")" != tmpfs ]; then SHM="$(mktemp -d -p /dev/shm)"; fi
trap 'rm -rf "$TMP" ${SHM:+"$SHM"}' EXIT

cat > "$TMP/canvas.json" <<JSON
{"version": 1, "name": "command throughput",
 "modules": [{"id": "t", "type": "command", "params": {"argv": ["/bin/true", "{i}"], "i": 0}}]}
JSON
printf 'grid:\n  t.i: {range: [0, %d]}\n' "$TASKS" > "$TMP/grid.yaml"
seq "$TASKS" > "$TMP/args"

now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc -l; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
fai() {  # fai <directory for its files> <round>
  mpirun -n 4 "$BUILD/fai-sweep" "$TMP/canvas.json" "$TMP/grid.yaml" -o "$1/r$2.h5" --cpus-per-rank 1 \
    --rows 0 --quiet >/dev/null
}
fai_s=() shm_s=() par_s=() xar_s=()
for round in $(seq "$ROUNDS"); do
  t=$(now); fai "$TMP" "$round"; fai_s+=("$(since "$t")")
  line="fai-sweep $(printf %.2f "${fai_s[-1]}") s"
  if [ -n "$SHM" ]; then
    t=$(now); fai "$SHM" "$round"; shm_s+=("$(since "$t")")
    line+=" (on tmpfs $(printf %.2f "${shm_s[-1]}") s)"
  fi
  t=$(now); parallel -j 3 /bin/true :::: "$TMP/args"; par_s+=("$(since "$t")")
  t=$(now); xargs -P 3 -n 1 /bin/true < "$TMP/args"; xar_s+=("$(since "$t")")
  printf "round %d: %s   GNU parallel %.2f s   xargs %.2f s\n" "$round" "$line" "${par_s[-1]}" "${xar_s[-1]}"
done

rate() { echo "$TASKS / $(median "$@")" | bc -l; }
fstype() { findmnt -n -o FSTYPE -T "$1" 2>/dev/null || stat -f -c %T "$1"; }
fai=$(rate "${fai_s[@]}") par=$(rate "${par_s[@]}") xar=$(rate "${xar_s[@]}")
printf "%d commands, median of %d rounds: fai-sweep -n 4 %.0f/s   GNU parallel -j 3 %.0f/s   xargs -P 3 %.0f/s\n" \
  "$TASKS" "$ROUNDS" "$fai" "$par" "$xar"
printf "files on %s (%s): fai-sweep / GNU parallel = %.1fx   fai-sweep / xargs = %.2fx\n" "$(dirname "$TMP")" \
  "$(fstype "$TMP")" "$(echo "$fai / $par" | bc -l)" "$(echo "$fai / $xar" | bc -l)"
if [ -n "$SHM" ]; then
  shm=$(rate "${shm_s[@]}")
  printf "files on /dev/shm (tmpfs): fai-sweep -n 4 %.0f/s   / GNU parallel = %.1fx   / xargs = %.2fx\n" "$shm" \
    "$(echo "$shm / $par" | bc -l)" "$(echo "$shm / $xar" | bc -l)"
fi
