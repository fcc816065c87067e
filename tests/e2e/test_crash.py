"""Nothing is lost (DESIGN §7): SIGKILL rank 0, a worker or mpirun at random moments of a sweep, rerun
the same command, and the result equals an uninterrupted run's, bit for bit; a torn journal tail, a
truncated result file and a full disk each give a clear message and lose nothing already saved."""
import json
import os
import random
import shutil
import signal
import struct
import subprocess
import tempfile
import time
import unittest

import h5py

from fai_e2e import FAI_SWEEP, MPI_ENV
from test_results import assert_same_results, dump_results, read_summary

# data -> features -> model (4 values) -> backtest (3 values; a 70 kB output, saved by default as
# the last module's). 18 tasks that sleep, so a kill lands in the middle of things.
CANVAS = {
    "version": 1,
    "name": "crash",
    "modules": [
        {"id": "d", "type": "noop", "params": {"value": 1, "sleep_ms": 120}},
        {"id": "f", "type": "noop", "inputs": {"in": "d.out"}, "params": {"sleep_ms": 80}},
        {"id": "m", "type": "noop", "inputs": {"in": "f.out"}, "params": {"sleep_ms": 80}},
        {"id": "t", "type": "noop", "inputs": {"in": "m.out", "in2": "d.out"},
         "params": {"sleep_ms": 50, "payload_bytes": 70000}},
    ],
}
GRID = "grid:\n  m.value: [1, 2, 3, 4]\n  t.value: [a, b, c]\n"
SEED = 20261129
ENV = dict(os.environ, **MPI_ENV)


def command(canvas, grid, out, ranks, *extra):
    cmd = [FAI_SWEEP, canvas, grid, "-o", out, *extra]
    return ["mpirun", "-n", str(ranks), "--oversubscribe", *cmd] if ranks else cmd


def run(canvas, grid, out, ranks=2, *extra, timeout=120):
    return subprocess.run(command(canvas, grid, out, ranks, *extra), capture_output=True, text=True, env=ENV,
                          timeout=timeout)


def rank_pids(mpirun_pid):
    """{rank: pid} of the processes mpirun started."""
    ranks = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                parent = int(f.read().rsplit(")", 1)[1].split()[1])
            if parent != mpirun_pid:
                continue
            with open(f"/proc/{entry}/environ", "rb") as f:
                for var in f.read().split(b"\0"):
                    if var.startswith(b"OMPI_COMM_WORLD_RANK="):
                        ranks[int(var.split(b"=")[1])] = int(entry)
        except (OSError, ValueError, IndexError):
            pass
    return ranks


def processes_writing(out):
    """Pids of fai-sweep processes (orphans included) whose command line names `out`."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                args = f.read().split(b"\0")
        except OSError:
            continue
        if args and args[0].endswith(b"fai-sweep") and out.encode() in args:
            pids.append(int(entry))
    return pids


def wait_gone(out, timeout=30):
    """Orphaned ranks (mpirun killed) finish or die; those still there after `timeout` are killed."""
    deadline = time.time() + timeout
    while processes_writing(out) and time.time() < deadline:
        time.sleep(0.05)
    for pid in processes_writing(out):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def kill_at(proc, target, delay):
    """SIGKILLs mpirun itself, rank 0 or rank 1 of `proc` after `delay` seconds."""
    time.sleep(delay)
    if target == "mpirun":
        victim = proc.pid
    else:
        rank = 0 if target == "rank0" else 1
        deadline = time.time() + 5
        victim = None
        while victim is None and time.time() < deadline and proc.poll() is None:
            victim = rank_pids(proc.pid).get(rank)
            if victim is None:
                time.sleep(0.01)
        if victim is None:
            return False
    try:
        os.kill(victim, signal.SIGKILL)
    except ProcessLookupError:
        return False
    return True


def journal_records(path):
    """(type, offset, length) of every intact record of a journal (see src/io/journal.h)."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"FAIJRNL\n", path
    records, pos = [], 16
    while pos + 16 <= len(data):
        rtype, length = struct.unpack_from("<IQ", data, pos)
        if pos + 16 + length > len(data):
            break
        records.append((rtype, pos, 16 + length))
        pos += 16 + length
    return records


def finished_tasks(path):
    """How many task records the journal at `path` holds (0 while it has no complete header)."""
    try:
        with open(path, "rb") as f:
            if f.read(8) != b"FAIJRNL\n":
                return 0
        return sum(1 for rec in journal_records(path) if rec[0] == 2)
    except FileNotFoundError:
        return 0


class Crashes(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory()
        cls.tmp = cls._tmp.name
        # Open MPI's shared-memory segments: a killed rank cannot remove its own, so they go where
        # this test removes them (on tmpfs, where they live by default).
        cls._segments = tempfile.TemporaryDirectory(dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
        ENV["OMPI_MCA_btl_vader_backing_directory"] = cls._segments.name
        cls.canvas = os.path.join(cls.tmp, "canvas.json")
        with open(cls.canvas, "w") as f:
            json.dump(CANVAS, f)
        cls.grid = os.path.join(cls.tmp, "grid.yaml")
        with open(cls.grid, "w") as f:
            f.write(GRID)
        # An uninterrupted run's duration at each rank count the trials use: 3 workers finish
        # about twice as soon as 1, so kills are timed against the run they interrupt.
        cls.duration = {}
        for ranks in (4, 2):
            baseline = os.path.join(cls.tmp, f"baseline{ranks}.h5")
            start = time.time()
            r = run(cls.canvas, cls.grid, baseline, ranks)
            cls.duration[ranks] = time.time() - start
            assert r.returncode == 0, r.stderr
        cls.expected = dump_results(baseline)
        cls.combos = list(read_summary(baseline)["combo"])
        assert len(cls.combos) == 12

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()
        cls._segments.cleanup()

    def out(self, name):
        path = os.path.join(self.tmp, name)
        for suffix in ("", ".journal", ".tmp"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        return path

    def assert_opens_if_present(self, out):
        if os.path.exists(out):
            with h5py.File(out, "r") as f:
                self.assertIn("summary", f)

    def finish(self, out, ranks):
        """Reruns the same command to the end and checks the file against the uninterrupted run's."""
        r = run(self.canvas, self.grid, out, ranks)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        assert_same_results(self, out, self.expected, self.combos)
        self.assertFalse(os.path.exists(out + ".tmp"))
        return r

    def crash(self, out, ranks, target, delay):
        proc = subprocess.Popen(command(self.canvas, self.grid, out, ranks), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=ENV)
        try:
            killed = kill_at(proc, target, delay)
            proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        wait_gone(out)
        self.assert_opens_if_present(out)
        return killed

    def test_sigkill_at_random_moments_then_rerun(self):
        rng = random.Random(SEED)
        targets = ["rank0", "worker", "mpirun"]
        resumed = killed = 0
        for trial in range(10):
            target, ranks = targets[trial % 3], (2, 4)[trial % 2]
            # Spread over the sweep past MPI's start-up: a random moment in the trial's tenth of it.
            delay = self.duration[ranks] * (0.3 + 0.65 * (trial + rng.random()) / 10)
            with self.subTest(trial=trial, target=target, ranks=ranks, delay=round(delay, 3)):
                out = self.out(f"trial{trial}.h5")
                killed += self.crash(out, ranks, target, delay)
                r = self.finish(out, ranks)
                print(f"trial {trial}: {target} killed at {delay:.2f} s (-n {ranks}):",
                      [line for line in r.stdout.splitlines() if line.startswith("resume: reusing")])
                if "resume:" in r.stdout and " 0 to run" not in r.stdout and "reusing 0 of" not in r.stdout:
                    resumed += 1
        self.assertGreaterEqual(killed, 7, "most kills should land before the sweep ends")
        self.assertGreaterEqual(resumed, 3, "some trials should resume a partly done sweep")

    def test_sigkill_while_the_result_file_is_written(self):
        out = self.out("final.h5")
        proc = subprocess.Popen(command(self.canvas, self.grid, out, 2), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=ENV)
        caught = False
        try:
            deadline = time.time() + 60
            while proc.poll() is None and time.time() < deadline:
                # The file is written as tasks end; once the last one is journaled, rank 0 writes
                # what is left (the tables) and renames it.
                if os.path.exists(out + ".tmp") and finished_tasks(out + ".journal") == 18:
                    victim = rank_pids(proc.pid).get(0)
                    if victim:
                        os.kill(victim, signal.SIGKILL)
                        caught = True
                    break
                time.sleep(0.0005)
            proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        self.assert_opens_if_present(out)
        print("killed while writing the result file:", caught)
        r = self.finish(out, 2)
        if caught:
            self.assertIn("reusing 18 of 18 tasks; 0 to run", r.stdout)

    def test_crash_during_the_resumed_run_too(self):
        out = self.out("twice.h5")
        self.crash(out, 2, "rank0", self.duration[2] * 0.45)
        self.crash(out, 2, "worker", self.duration[2] * 0.35)
        self.finish(out, 2)

    def test_torn_journal_tail(self):
        out = self.out("torn.h5")
        self.assertEqual(run(self.canvas, self.grid, out, None).returncode, 0)
        journal = out + ".journal"
        records = journal_records(journal)
        tasks = [rec for rec in records if rec[0] == 2]
        self.assertEqual(len(tasks), 18)
        # Cut the 11th task record in the middle of its payload: ten complete ones remain.
        _, offset, length = tasks[10]
        with open(journal, "r+b") as f:
            f.truncate(offset + length // 2)
        os.remove(out)
        r = run(self.canvas, self.grid, out, 2)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("a record cut short at byte", r.stderr)
        self.assertIn("keeping the 10 complete task records before it", r.stderr)
        self.assertIn("holds 10 finished tasks", r.stdout)
        self.assertIn("resume: reusing 10 of 18 tasks; 8 to run", r.stdout)
        assert_same_results(self, out, self.expected, self.combos)
        # Garbage at the end (a frame that is not one) is cut off the same way.
        with open(journal, "ab") as f:
            f.write(b"\x07" * 40)
        r = run(self.canvas, self.grid, out, None)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("a damaged record at byte", r.stderr)
        self.assertIn("reusing 18 of 18 tasks; 0 to run", r.stdout)
        assert_same_results(self, out, self.expected, self.combos)

    def test_truncated_result_file(self):
        out = self.out("truncated.h5")
        self.assertEqual(run(self.canvas, self.grid, out, None).returncode, 0)
        with open(out, "r+b") as f:
            f.truncate(os.path.getsize(out) // 2)
        r = subprocess.run([FAI_SWEEP, "show", out], capture_output=True, text=True)
        self.assertEqual(r.returncode, 2)
        self.assertIn("not a readable HDF5 file (truncated or damaged?)", r.stderr)
        r = run(self.canvas, self.grid, out, 2)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(f"{out}: not a readable HDF5 file (truncated or damaged?); it will be rebuilt from", r.stderr)
        self.assertIn("reusing 18 of 18 tasks; 0 to run", r.stdout)
        assert_same_results(self, out, self.expected, self.combos)

    def test_full_disk(self):
        if os.geteuid() != 0:
            self.skipTest("mounting a small tmpfs needs root")
        disk = os.path.join(self.tmp, "disk")
        os.makedirs(disk, exist_ok=True)
        mount = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=640k", "tmpfs", disk], capture_output=True,
                               text=True)
        if mount.returncode != 0:
            self.skipTest(f"cannot mount a tmpfs here: {mount.stderr.strip()}")
        try:
            out = os.path.join(disk, "results.h5")
            # 1. The journal fills the disk: the sweep stops, says so, keeps every record it made.
            r = run(self.canvas, self.grid, out, 2)
            self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
            self.assertIn("No space left on device", r.stderr)
            self.assertIn("nothing already recorded is lost", r.stderr)
            self.assertFalse(os.path.exists(out))
            self.assertFalse(os.path.exists(out + ".tmp"))
            recorded = finished_tasks(out + ".journal")
            self.assertGreater(recorded, 0)
            self.assertEqual(journal_records(out + ".journal")[-1][1] + journal_records(out + ".journal")[-1][2],
                             os.path.getsize(out + ".journal"), "no torn record left behind")
            # 2. More room: the rerun reuses what was recorded and finishes.
            subprocess.run(["mount", "-o", "remount,size=16m", disk], check=True)
            r = run(self.canvas, self.grid, out, 2)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn(f"holds {recorded} finished tasks", r.stdout)
            assert_same_results(self, out, self.expected, self.combos)
            # 3. The disk fills while the result file is written: the old file stays, intact.
            before = dump_results(out)
            free = shutil.disk_usage(disk).free
            with open(os.path.join(disk, "filler"), "wb") as f:
                f.write(b"\0" * (free - 200 * 1024))
            r = run(self.canvas, self.grid, out, 2)
            self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
            self.assertIn(f"cannot write {out}", r.stderr)
            self.assertIn("No space left on device", r.stderr)
            self.assertIn("nothing is lost", r.stderr)
            self.assertFalse(os.path.exists(out + ".tmp"))
            self.assertEqual(dump_results(out), before)
            os.remove(os.path.join(disk, "filler"))
            self.finish(out, 2)
        finally:
            subprocess.run(["umount", "-l", disk], capture_output=True)


if __name__ == "__main__":
    unittest.main()
