#!/usr/bin/env bash
# A private one-node Slurm cluster on this machine (Debian's slurm-wlm and munge), for the
# submit tests and for trying `fai-sweep submit` without a real cluster.
#
#   bash scripts/slurm-local.sh start DIR   start munged, slurmctld and slurmd; state under DIR
#   bash scripts/slurm-local.sh stop DIR    cancel DIR's jobs, stop exactly the daemons started
#   bash scripts/slurm-local.sh status DIR  say whether DIR's daemons run
#
# After `start`, point Slurm's commands at the cluster with
#   export SLURM_CONF=DIR/slurm.conf PATH=/usr/sbin:$PATH   (or: source DIR/env.sh)
#
# Everything lives under DIR: its own munge key and socket, slurm.conf (free ports picked at
# start, so several clusters can run side by side), state, spool, logs and the PIDs of the three
# daemons. Nothing in /etc or /run is touched; no systemd, no cgroups needed. The settings are the
# ones ENVIRONMENT.md found to work on a 2-core Debian 12 machine without systemd. Must run as
# root (slurmd launches jobs as their user; munged runs as the munge user).
set -euo pipefail

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

[ $# -eq 2 ] || usage
ACTION="$1"
DIR="$2"
[ "$ACTION" != start ] || mkdir -p "$DIR"
[ ! -d "$DIR" ] || DIR="$(cd "$DIR" && pwd)"
export PATH="/usr/sbin:/sbin:$PATH"

log() { echo "slurm-local: $*" >&2; }

# True when PID runs a program whose command line mentions our DIR (not a recycled PID).
ours() {
  local pid="$1"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$DIR/"
}

stop_pid() {
  local name="$1" pidfile="$DIR/$1.started-pid" pid
  [ -f "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  if ours "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do ours "$pid" || break; sleep 0.1; done
    if ours "$pid"; then
      log "$name ($pid) ignored SIGTERM; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pidfile"
}

do_stop() {
  [ -d "$DIR" ] || { log "$DIR: no such directory"; return 0; }
  if [ -f "$DIR/slurm.conf" ] && [ -f "$DIR/slurmctld.started-pid" ] && ours "$(cat "$DIR/slurmctld.started-pid")"; then
    # Jobs first, so that no job step outlives the daemons.
    SLURM_CONF="$DIR/slurm.conf" timeout 10 scancel --full --quiet --user=root 2>/dev/null || true
    for _ in $(seq 50); do
      [ -z "$(SLURM_CONF="$DIR/slurm.conf" timeout 5 squeue -h -o %i 2>/dev/null)" ] && break
      sleep 0.1
    done
  fi
  stop_pid slurmd
  stop_pid slurmctld
  stop_pid munged
  log "stopped the cluster in $DIR"
}

free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local seconds="$1" what="$2"
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      log "timed out after ${seconds}s waiting for $what; logs in $DIR"
      tail -n 20 "$DIR"/*.log >&2 || true
      return 1
    fi
    sleep 0.1
  done
}

do_start() {
  [ "$(id -u)" -eq 0 ] || { log "must run as root"; exit 1; }
  for tool in munged mungekey slurmctld slurmd scontrol sinfo setpriv; do
    command -v "$tool" >/dev/null || { log "$tool not found: run scripts/install-deps.sh (slurm-wlm munge)"; exit 1; }
  done
  if [ -f "$DIR/slurmctld.started-pid" ] && ours "$(cat "$DIR/slurmctld.started-pid")"; then
    log "a cluster already runs in $DIR"; exit 1
  fi
  mkdir -p "$DIR/state" "$DIR/spool" "$DIR/munge"
  chmod 755 "$DIR"

  # munge: a key, socket, pid and seed of its own, in a directory only the munge user may write
  # (and everyone may traverse, to reach the socket).
  chown munge:munge "$DIR/munge"
  chmod 755 "$DIR/munge"
  if [ ! -f "$DIR/munge/munge.key" ]; then
    setpriv --reuid=munge --regid=munge --init-groups mungekey --create --keyfile="$DIR/munge/munge.key"
  fi
  chmod 400 "$DIR/munge/munge.key"
  local socket="$DIR/munge/munge.socket"
  setpriv --reuid=munge --regid=munge --init-groups \
    munged -F --socket="$socket" --key-file="$DIR/munge/munge.key" --pid-file="$DIR/munge/munged.pid" \
    --seed-file="$DIR/munge/munged.seed" --log-file="$DIR/munge/munged.log" </dev/null >"$DIR/munged.log" 2>&1 &
  echo $! >"$DIR/munged.started-pid"
  wait_for 10 "munged" sh -c "test -S '$socket' || ! kill -0 $(cat "$DIR/munged.started-pid")" || { do_stop; exit 1; }
  [ -S "$socket" ] || { log "munged did not start:"; cat "$DIR/munged.log" >&2; do_stop; exit 1; }

  local host cpus mem_mb
  host="$(hostname -s)"
  cpus="$(nproc --all)"
  mem_mb=$(($(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 * 95 / 100))
  cat >"$DIR/slurm.conf" <<EOF
# Written by scripts/slurm-local.sh: a private one-node cluster.
ClusterName=fai-local
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/slurmctld.log
SlurmdLogFile=$DIR/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
MailProg=/bin/true
MinJobAge=4
ReturnToService=2
SlurmdParameters=config_overrides
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus Sockets=1 CoresPerSocket=$cpus ThreadsPerCore=1 RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  cat >"$DIR/env.sh" <<EOF
export SLURM_CONF=$DIR/slurm.conf
export PATH=/usr/sbin:\$PATH
EOF
  export SLURM_CONF="$DIR/slurm.conf"

  slurmctld -D -c -f "$SLURM_CONF" </dev/null >"$DIR/slurmctld.out" 2>&1 &
  echo $! >"$DIR/slurmctld.started-pid"
  slurmd -D -f "$SLURM_CONF" -N "$host" </dev/null >"$DIR/slurmd.out" 2>&1 &
  echo $! >"$DIR/slurmd.started-pid"

  wait_for 20 "slurmctld to answer" sh -c 'scontrol ping | grep -q UP' || { do_stop; exit 1; }
  wait_for 20 "node $host to be idle" sh -c "sinfo -h -n '$host' -o %t | grep -qx idle" || { do_stop; exit 1; }
  log "cluster up in $DIR (node $host, $cpus CPUs, partition debug); export SLURM_CONF=$SLURM_CONF"
}

do_status() {
  local name pid running=0
  for name in munged slurmctld slurmd; do
    pid="$(cat "$DIR/$name.started-pid" 2>/dev/null || true)"
    if ours "$pid"; then echo "$name running (pid $pid)"; running=$((running + 1)); else echo "$name not running"; fi
  done
  [ $running -eq 3 ]
}

case "$ACTION" in
  start) do_start ;;
  stop) do_stop ;;
  status) do_status ;;
  *) usage ;;
esac
