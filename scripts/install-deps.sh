#!/usr/bin/env bash
# Installs every build, test and benchmark dependency of fai-sweep from Debian's packages.
# Safe to run any number of times: packages already present are left alone and apt is
# only called when something is missing. Uses sudo when not run as root.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake pkg-config
  # libraries found with find_package
  libopenmpi-dev openmpi-bin
  libboost-mpi-dev libboost-serialization-dev
  libhdf5-dev hdf5-tools
  libcli11-dev libeigen3-dev libyaml-cpp-dev nlohmann-json3-dev
  libgtest-dev libbenchmark-dev
  # tests, plots and the tools the benchmarks compare against
  python3 python3-h5py python3-pandas python3-matplotlib python3-yaml python3-mpi4py
  python3-sklearn parallel time bc
  # a real one-node Slurm for the submit tests (scripts/slurm-local.sh) and the
  # namespace tools of the several-hosts test (ip, unshare, nsenter, setpriv)
  slurm-wlm munge iproute2 util-linux
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "install-deps: not root and no sudo; install these packages: ${missing[*]}" >&2
    exit 1
  fi
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done"
