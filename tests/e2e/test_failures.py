"""Running tasks: plugins, process isolation, failures, retries, timeouts, --fail-fast, and argv
injection probes (values reach the program byte for byte, as one argument, never through a shell)."""
import json
import os
import signal
import time
import unittest

import h5py

from fai_e2e import BINARY_DIR, TempDirTest, fai

PLUGIN = os.path.join(BINARY_DIR, "examples", "plugin_module", "libfai_example_plugin.so")


def summary(path):
    with h5py.File(path, "r") as f:
        return f["summary"][()]


class Plugins(TempDirTest):
    def test_plugin_types_from_flag_and_canvas(self):
        canvas = {"version": 1, "modules": [{"id": "p", "type": "example.polynomial", "params": {"a": 2.0, "b": 1.0, "x": 3.0}}]}
        grid = self.write("grid.yaml", "grid:\n  p.degree: [0, 1, 2]\n")
        for how in ("flag", "canvas"):
            c = dict(canvas, plugins=[PLUGIN]) if how == "canvas" else canvas
            path = self.write("canvas.json", json.dumps(c))
            out = os.path.join(self.tmp, f"{how}.h5")
            args = [path, grid, "-o", out] + (["--plugin", PLUGIN] if how == "flag" else [])
            r = fai(*args)
            self.assertEqual(r.code, 0, r.err)
            rows = sorted((row["p.degree"], row["p.y"]) for row in summary(out))
            self.assertEqual(rows, [(0, 3.0), (1, 7.0), (2, 19.0)])

    def test_unknown_plugin_type_without_the_library(self):
        path = self.write("canvas.json", json.dumps({"version": 1, "modules": [{"id": "p", "type": "example.polynomial"}]}))
        r = fai("validate", path)
        self.assertEqual(r.code, 2)
        self.assertIn("example.polynomial", r.err)

    def test_segfaulting_plugin_fails_its_own_task_only(self):
        path = self.write("canvas.json", json.dumps(
            {"version": 1, "plugins": [PLUGIN], "modules": [{"id": "u", "type": "example.unstable"}]}))
        grid = self.write("grid.yaml", "grid:\n  u.crash: [false, true]\n")
        out = os.path.join(self.tmp, "r.h5")
        for ranks in (None, 2):
            r = fai(path, grid, "-o", out, "--fresh", ranks=ranks)
            self.assertEqual(r.code, 1, r.out + r.err)
            self.assertIn("1 succeeded, 1 failed", r.out)
            self.assertIn("SIGSEGV", r.err)
            statuses = {bool(row["u.crash"]): row["status"] for row in summary(out)}
            self.assertEqual(statuses, {False: b"ok", True: b"failed"})


class Failures(TempDirTest):
    def run_canvas(self, canvas, grid=None, *flags, ranks=None):
        path = self.write("canvas.json", json.dumps(canvas))
        args = [path] + ([self.write("grid.yaml", grid)] if grid else [])
        out = os.path.join(self.tmp, "r.h5")
        return fai(*args, "-o", out, "--fresh", *flags, ranks=ranks), out

    def test_isolated_builtin_module(self):
        r, out = self.run_canvas({"version": 1, "modules": [
            {"id": "a", "type": "noop", "params": {"value": 41}, "isolation": "process"},
            {"id": "b", "type": "noop", "inputs": {"in": "a.out"}, "isolation": "process"}]})
        self.assertEqual(r.code, 0, r.err)
        row = summary(out)[0]
        self.assertEqual(row["a.value"] if "a.value" in row.dtype.names else 41, 41)
        self.assertEqual(row["b.inputs"], 1)

    def test_downstream_of_a_failure_is_skipped(self):
        r, out = self.run_canvas({"version": 1, "modules": [
            {"id": "a", "type": "noop"},
            {"id": "b", "type": "noop", "inputs": {"in": "a.out"}},
            {"id": "c", "type": "noop", "inputs": {"in": "b.out"}}]}, "grid:\n  b.fail: [false, true]\n")
        self.assertEqual(r.code, 1, r.err)
        self.assertIn("1 succeeded, 1 failed", r.out)
        rows = {bool(row["b.fail"]): row for row in summary(out)}
        self.assertEqual(rows[True]["status"], b"failed")
        self.assertIn(b"failing as asked", rows[True]["error"])

    def test_timeout_kills_the_whole_process_group(self):
        pidfile = os.path.join(self.tmp, "child.pid")
        script = self.write("spawn.py", (
            "import subprocess, sys, time\n"
            "child = subprocess.Popen(['sleep', '60'])\n"
            "open(sys.argv[1], 'w').write(str(child.pid))\n"
            "time.sleep(60)\n"))
        start = time.time()
        r, out = self.run_canvas({"version": 1, "modules": [
            {"id": "slow", "type": "command", "timeout": "1s",
             "params": {"argv": ["/usr/bin/python3", script, pidfile]}}]})
        self.assertEqual(r.code, 1, r.err)
        self.assertIn("timed out after 1 s", r.err)
        self.assertLess(time.time() - start, 30)
        time.sleep(0.2)
        pid = int(open(pidfile).read())
        alive = os.path.exists(f"/proc/{pid}") and "Z" not in open(f"/proc/{pid}/stat").read().split()[2]
        self.assertFalse(alive, "the program's own child outlived the timeout")

    def flaky(self, how, retries, retry_on_error):
        counter = os.path.join(self.tmp, f"count-{how}-{retries}-{retry_on_error}")
        script = self.write("flaky.py", (
            "import os, signal, sys\n"
            "path, how = sys.argv[1], sys.argv[2]\n"
            "n = int(open(path).read()) + 1 if os.path.exists(path) else 1\n"
            "open(path, 'w').write(str(n))\n"
            "if n == 1:\n"
            "    os.kill(os.getpid(), signal.SIGKILL) if how == 'signal' else sys.exit(5)\n"))
        r, out = self.run_canvas({"version": 1, "modules": [
            {"id": "f", "type": "command", "retries": retries, "retry_on_error": retry_on_error,
             "params": {"argv": ["/usr/bin/python3", script, counter, how]}}]})
        return r, int(open(counter).read())

    def test_retries(self):
        r, runs = self.flaky("signal", retries=2, retry_on_error=False)
        self.assertEqual((r.code, runs), (0, 2), r.err)  # a crash is retried
        r, runs = self.flaky("error", retries=2, retry_on_error=False)
        self.assertEqual((r.code, runs), (1, 1), r.err)  # an error is not, by default
        r, runs = self.flaky("error", retries=2, retry_on_error=True)
        self.assertEqual((r.code, runs), (0, 2), r.err)
        r, runs = self.flaky("signal", retries=0, retry_on_error=False)
        self.assertEqual((r.code, runs), (1, 1), r.err)

    def test_fail_fast_skips_the_rest(self):
        canvas = {"version": 1, "modules": [{"id": "t", "type": "noop", "resources": {"num_cpus": 1}}]}
        grid = "combinations:\n" + "".join(
            f"  - {{t.fail: {'true' if i == 0 else 'false'}, t.sleep_ms: {20 if i else 0}, t.value: {i}}}\n" for i in range(30))
        r, out = self.run_canvas(canvas, grid, "--fail-fast", "--cpus-per-rank", "1")
        self.assertEqual(r.code, 1, r.err)
        rows = summary(out)
        self.assertEqual(len(rows), 30)
        self.assertGreater(sum(s == b"skipped" for s in rows["status"]), 0)
        self.assertRegex(r.out, r"30 combinations: \d+ succeeded, 1 failed, [1-9]\d* skipped")


class InjectionProbes(TempDirTest):
    VALUES = [
        "; rm -rf ~", "$(touch pwned)", "`touch pwned2`", "it's \"quoted\"", "line1\nline2",
        "../../etc/passwd", "/etc/passwd", "-rf", "--help", "x" * 10240, "{braces}", "~", "*", "$HOME",
    ]

    def test_values_arrive_byte_identical_as_one_argument(self):
        script = self.write("probe.py", (
            "import json, os, sys\n"
            "json.dump({'argc': len(sys.argv), 'hex': sys.argv[1].encode().hex(), 'tail': sys.argv[2]},\n"
            "          open(os.environ['FAI_OUTPUT'], 'w'))\n"))
        canvas = self.write("canvas.json", json.dumps({"version": 1, "modules": [
            {"id": "p", "type": "command", "params": {"argv": ["/usr/bin/python3", script, "{v}", "end"], "v": ""}}]}))
        grid = self.write("grid.yaml", "combinations:\n" + "".join(f"  - {{p.v: {json.dumps(v)}}}\n" for v in self.VALUES))
        before = set(os.listdir(self.tmp))
        out = os.path.join(self.tmp, "r.h5")
        r = fai(canvas, grid, "-o", out, cwd=self.tmp, ranks=2)
        self.assertEqual(r.code, 0, r.out + r.err)
        rows = summary(out)
        got = sorted(bytes.fromhex(h.decode()).decode() for h in rows["p.hex"])
        self.assertEqual(got, sorted(self.VALUES))
        self.assertTrue(all(n == 3 for n in rows["p.argc"]))
        self.assertTrue(all(t == b"end" for t in rows["p.tail"]))
        # Nothing written outside the run's own files.
        created = set(os.listdir(self.tmp)) - before
        self.assertTrue(created <= {"r.h5", "r.run", "r.h5.journal", "r.h5.lock"}, created)
        for bad in ("pwned", "pwned2"):
            self.assertFalse(os.path.exists(os.path.join(self.tmp, bad)))
            for root, _, files in os.walk(os.path.join(self.tmp, "r.run")):
                self.assertNotIn(bad, files)


if __name__ == "__main__":
    unittest.main()
