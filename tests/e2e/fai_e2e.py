"""Helpers for end-to-end tests: run the real fai-sweep binary as a user would."""
import json
import os
import subprocess
import tempfile
import unittest

SOURCE_DIR = os.environ.get("FAI_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY_DIR = os.environ.get("FAI_BINARY_DIR", os.path.join(SOURCE_DIR, "build"))
FAI_SWEEP = os.environ.get("FAI_SWEEP", os.path.join(BINARY_DIR, "fai-sweep"))

MPI_ENV = {
    "OMPI_ALLOW_RUN_AS_ROOT": "1",
    "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
    "OMPI_MCA_rmaps_base_oversubscribe": "1",
    "OMPI_MCA_mpi_yield_when_idle": "1",
}


def source(*parts):
    return os.path.join(SOURCE_DIR, *parts)


class Run:
    def __init__(self, proc):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def json(self):
        return json.loads(self.out)


def fai(*args, ranks=None, cwd=None, timeout=300):
    """Runs fai-sweep (under mpirun when ranks is given) and returns its status and output."""
    cmd = [FAI_SWEEP, *map(str, args)]
    if ranks is not None:
        cmd = ["mpirun", "-n", str(ranks), "--oversubscribe", *cmd]
    env = dict(os.environ, **MPI_ENV)
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, timeout=timeout, env=env)
    return Run(proc)


class TempDirTest(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.tmp = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path
