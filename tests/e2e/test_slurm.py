"""Cluster profiles and Slurm: `fai-sweep cluster list|show|stop` and `fai-sweep submit`.

RealSlurm starts a private one-node Slurm cluster on this machine (scripts/slurm-local.sh:
munged, slurmctld and slurmd from Debian's slurm-wlm and munge, on free ports, all state in a
temporary directory), submits the quickstart sweep as a batch job, waits for it, checks
results.h5, lists and stops a running job, resubmits the job script, and stops exactly the
daemons it started. Missing Slurm packages make these tests fail, not skip:
scripts/install-deps.sh installs them.
"""
import json
import os
import subprocess
import tempfile
import time
import unittest

import h5py

from fai_e2e import FAI_SWEEP, TempDirTest, source

QUICK = [source("examples", "quickstart", "canvas.json"), source("examples", "quickstart", "grid.yaml")]
SLURM_LOCAL = source("scripts", "slurm-local.sh")
SBIN_PATH = "/usr/sbin:/sbin:" + os.environ.get("PATH", "/usr/bin:/bin")


def run(args, env=None, cwd=None, timeout=120):
    """fai-sweep's status, stdout and stderr (decoded as they are: a progress bar's \\r kept)."""
    proc = subprocess.run([FAI_SWEEP, *map(str, args)], capture_output=True, env=env, cwd=cwd, timeout=timeout)
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


def summary(path):
    with h5py.File(path, "r") as f:
        return f["summary"][()]


class ClusterCommands(TempDirTest):
    """Profiles, quotas and job scripts: no Slurm needed (its commands kept off PATH)."""

    def env(self):
        # A PATH without Slurm's commands, as on a machine without Slurm.
        empty = os.path.join(self.tmp, "bin")
        os.makedirs(empty, exist_ok=True)
        return dict(os.environ, PATH=empty)

    def profile(self, name, text):
        return self.write(name + ".yaml", text)

    def test_list_shows_every_profile_and_says_why_no_jobs(self):
        code, out, err = run(["cluster", "list"], env=self.env(), cwd=self.tmp)
        self.assertEqual(code, 0, err)
        self.assertIn(source("configs", "clusters"), out)
        for name in ("local", "small", "cpu64"):
            self.assertRegex(out, rf"\n  {name} +\d+ +\d+ ")
        self.assertIn("Slurm: squeue: not found (is it installed and on PATH?); jobs not shown", out)

    def test_show_gives_the_figures(self):
        code, out, err = run(["cluster", "show", "small"], env=self.env(), cwd=self.tmp)
        self.assertEqual(code, 0, err)
        self.assertIn("2 x 8 CPUs, 32 GiB, 2 GPUs per node  (16 CPUs, 64 GiB, 4 GPUs in all)", out)
        self.assertIn("0.05 per node-minute = 6.00 per hour for 2 nodes; at most 24.00 for the time limit", out)
        self.assertIn("100 CPUs, 400 GiB: ok", out)
        self.assertIn("fai-sweep-gpu.sbatch", out)

    def test_over_quota_is_refused_with_the_figures(self):
        big = self.profile("big", "nodes: 16\ncpus_per_node: 8\nmemory_per_node: 32G\n")
        expected = ('profile "big" asks 128 CPUs (16 nodes x 8) but its quota allows 100 CPUs; asks 512 GiB of '
                    "memory (16 nodes x 32 GiB) but its quota allows 400 GiB")
        code, out, err = run(["cluster", "show", big], env=self.env(), cwd=self.tmp)
        self.assertEqual(code, 2)
        self.assertIn(expected, err)
        code, out, err = run(["submit", "--cluster", big, *QUICK, "--dry-run"], env=self.env(), cwd=self.tmp)
        self.assertEqual(code, 2)
        self.assertIn(big + ": " + expected, err)
        self.assertEqual(out, "")

    def test_bad_profile_names_file_and_key(self):
        bad = self.profile("bad", "nodes: 2\ncpus_per_nod: 4\n")
        code, out, err = run(["submit", "--cluster", bad, *QUICK, "--dry-run"], env=self.env(), cwd=self.tmp)
        self.assertEqual(code, 2)
        self.assertIn(bad + ': cpus_per_nod: unknown key; did you mean "cpus_per_node"?', err)
        code, out, err = run(["submit", "--cluster", "smal", *QUICK, "--dry-run"], env=self.env(), cwd=self.tmp)
        self.assertEqual(code, 2)
        self.assertIn('--cluster smal: no profile of that name', err)
        self.assertIn('did you mean "small"?', err)
        code, out, err = run(["submit", *QUICK, "--dry-run"], env=self.env(), cwd=self.tmp)
        self.assertEqual(code, 2)
        self.assertIn("--cluster is required", err)

    def test_a_module_larger_than_a_node_is_refused(self):
        canvas = self.write("canvas.json", json.dumps({"version": 1, "modules": [
            {"id": "big", "type": "noop", "resources": {"num_cpus": 4}}]}))
        code, out, err = run(["submit", "--cluster", "local", canvas, "--dry-run"], env=self.env(), cwd=self.tmp)
        self.assertEqual(code, 2)
        self.assertIn('module "big" (noop): resources: asks 4 CPUs, more than a node of profile "local" has (2 CPUs)',
                      err)

    def test_dry_run_prints_the_job_script_and_writes_nothing(self):
        out_h5 = os.path.join(self.tmp, "sub", "res.h5")
        code, out, err = run(["submit", "--cluster", "small", *QUICK, "-o", out_h5, "--no-dedup", "--dry-run"],
                             env=self.env(), cwd=self.tmp)
        self.assertEqual(code, 0, err)
        for line in ("#SBATCH --job-name=fai-small-res", "#SBATCH --nodes=2", "#SBATCH --cpus-per-task=8",
                     "#SBATCH --mem=32768M", "#SBATCH --gres=gpu:2", "#SBATCH --partition=batch",
                     "#SBATCH --time=04:00:00", "#SBATCH --comment=fai-sweep:small",
                     f"#SBATCH --output={self.tmp}/sub/res.slurm-%j.log", f"#SBATCH --chdir={self.tmp}",
                     f"set -- '{QUICK[0]}' '{QUICK[1]}' '--no-dedup' '--output' '{out_h5}' '--cluster' "
                     f"'{source('configs', 'clusters', 'small.yaml')}'",
                     "export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1",
                     'exec mpirun -n "$RANKS" --oversubscribe --bind-to none "$FAI_SWEEP" "$@"'):
            self.assertIn(line + "\n", out)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "sub")))
        # The script is valid shell.
        script = self.write("job.sbatch", out)
        self.assertEqual(subprocess.run(["bash", "-n", script]).returncode, 0)

    def test_fresh_is_refused(self):
        code, out, err = run(["submit", "--cluster", "local", *QUICK, "--fresh", "--dry-run"], env=self.env(),
                             cwd=self.tmp)
        self.assertEqual(code, 2)
        self.assertIn("--fresh would make every resubmission", err)


class RunReports(TempDirTest):
    """Every run ends with a usage report (printed, and stored under /usage in results.h5) and
    shows progress: a bar on a terminal, plain lines in a log, nothing with --quiet."""

    def test_usage_report_printed_and_stored(self):
        out_h5 = os.path.join(self.tmp, "r.h5")
        code, out, err = run([*QUICK, "-o", out_h5, "--cluster", "local", "--progress", "none"], cwd=self.tmp)
        self.assertEqual(code, 0, out + err)
        self.assertRegex(out, r"usage: 1 node x \d+\.\d\d min = \d+\.\d\d node-minutes held \(1 worker, \d+ CPUs?\)")
        self.assertRegex(out, r"usage: \d+\.\d CPU-seconds used by 9 tasks of \d+\.\d offered: \d+\.\d% utilisation")
        self.assertRegex(out, r"usage: estimated cost \d+\.\d+ \(0\.01 per node-minute, profile local\)")
        with h5py.File(out_h5, "r") as f:
            usage = dict(f["usage"].attrs)
        self.assertEqual(usage["nodes"], 1)
        self.assertEqual(usage["tasks"], 9)
        self.assertGreater(usage["cpu_seconds_used"], 0)
        self.assertLessEqual(usage["cpu_seconds_used"], usage["cpu_seconds_offered"])
        self.assertAlmostEqual(usage["utilisation"], usage["cpu_seconds_used"] / usage["cpu_seconds_offered"])
        self.assertAlmostEqual(usage["node_minutes"], usage["wall_s"] / 60)
        self.assertAlmostEqual(usage["estimated_cost"], usage["node_minutes"] * 0.01)

    def test_progress_modes(self):
        code, out, err = run([*QUICK, "-o", os.path.join(self.tmp, "p.h5"), "--progress", "plain"], cwd=self.tmp)
        self.assertEqual(code, 0, out + err)
        self.assertIn("progress: 9/9 tasks ended (100.0%): 9 ok, 0 failed, 0 skipped; 0 running;", err)
        code, out, err = run([*QUICK, "-o", os.path.join(self.tmp, "b.h5"), "--progress", "bar"], cwd=self.tmp)
        self.assertEqual(code, 0, out + err)
        # The last frame shows everything done and ends the line.
        self.assertRegex(err, r"\r\[#{20}\]  9/9  running 0  failed 0  [^\r\n]*ETA 0:00  cpu \d+% *\n")
        # Not a terminal: plain lines by default; --quiet: none.
        code, out, err = run([*QUICK, "-o", os.path.join(self.tmp, "d.h5")], cwd=self.tmp)
        self.assertEqual(code, 0, out + err)
        self.assertIn("progress: 9/9 tasks ended", err)
        self.assertNotIn("\r[", err)
        code, out, err = run([*QUICK, "-o", os.path.join(self.tmp, "q.h5"), "--quiet"], cwd=self.tmp)
        self.assertEqual(code, 0, out + err)
        self.assertNotIn("progress:", err)
        self.assertNotIn("\r[", err)


class RealSlurm(TempDirTest):
    """A real slurmctld + slurmd + munged on this machine, started and stopped by the test."""

    @classmethod
    def setUpClass(cls):
        cls._state = tempfile.TemporaryDirectory(prefix="fai-slurm-")
        cls.state = cls._state.name
        cls.addClassCleanup(cls._state.cleanup)
        cls.addClassCleanup(cls.stop_slurm)
        started = time.monotonic()
        proc = subprocess.run(["bash", SLURM_LOCAL, "start", cls.state], capture_output=True, text=True, timeout=60)
        if proc.returncode != 0:
            raise AssertionError("could not start the local Slurm cluster (scripts/slurm-local.sh):\n" +
                                 proc.stdout + proc.stderr)
        cls.start_s = time.monotonic() - started
        cls.slurm_env = dict(os.environ, SLURM_CONF=os.path.join(cls.state, "slurm.conf"), PATH=SBIN_PATH)

    @classmethod
    def stop_slurm(cls):
        proc = subprocess.run(["bash", SLURM_LOCAL, "stop", cls.state], capture_output=True, text=True, timeout=60)
        status = subprocess.run(["bash", SLURM_LOCAL, "status", cls.state], capture_output=True, text=True)
        if proc.returncode != 0 or "running" in status.stdout.replace("not running", ""):
            raise AssertionError("stopping the local Slurm cluster failed:\n" + proc.stderr + status.stdout)

    def squeue_state(self, job):
        proc = subprocess.run(["squeue", "-h", "-j", job, "-o", "%T"], capture_output=True, text=True,
                              env=self.slurm_env)
        return proc.stdout.strip()

    def wait_for(self, what, predicate, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.2)
        self.fail("timed out waiting for " + what)

    def test_submit_quickstart_wait_and_resubmit(self):
        # A profile given by its path, asking one CPU of the 2-core node: the worker must offer
        # exactly what Slurm gave the job (SLURM_CPUS_PER_TASK), not the host's cores.
        profile = self.write("one.yaml", "name: one\nnodes: 1\ncpus_per_node: 1\nmemory_per_node: 1G\n"
                                         "partition: debug\ntime_limit: '5:00'\nprice_per_node_minute: 0.5\n")
        out_h5 = os.path.join(self.tmp, "results.h5")
        code, out, err = run(["submit", "--cluster", profile, *QUICK, "-o", out_h5, "--wait"], env=self.slurm_env,
                             cwd=self.tmp)
        self.assertEqual(code, 0, out + err)
        self.assertRegex(out, r"submitted job \d+ \(fai-one-results\) on profile one: 1 node x 1 CPUs")
        job = out.split("submitted job ")[1].split()[0]
        log = os.path.join(self.tmp, f"results.slurm-{job}.log")
        with open(log) as f:
            text = f.read()
        self.assertIn("1 node(s) x 1 CPUs, 2 ranks", text)
        self.assertIn("8 combinations: 8 succeeded, 0 failed, 0 skipped", text)
        # The batch log gets plain progress lines and the usage report, priced by the profile.
        self.assertIn("progress: 9/9 tasks ended (100.0%): 9 ok, 0 failed, 0 skipped;", text)
        self.assertRegex(text, r"usage: 1 node x \d+\.\d\d min = \d+\.\d\d node-minutes held \(1 worker, 1 CPU\)")
        self.assertRegex(text, r"usage: estimated cost \d+\.\d+ \(0\.5 per node-minute, profile one\)")
        rows = summary(out_h5)
        self.assertEqual(len(rows), 8)
        self.assertTrue(all(s == b"ok" for s in rows["status"]), rows["status"])
        self.assertEqual(sorted(set(rows["m2.degree"])), [1, 3, 5, 9])

        # Resubmitting the script as it is reruns the same command on the same output.
        script = os.path.join(self.tmp, "results.sbatch")
        proc = subprocess.run(["sbatch", "--parsable", "--wait", script], capture_output=True, text=True,
                              env=self.slurm_env, timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        job2 = proc.stdout.strip()
        with open(os.path.join(self.tmp, f"results.slurm-{job2}.log")) as f:
            text = f.read()
        self.assertIn("8 combinations: 8 succeeded, 0 failed, 0 skipped", text)
        self.assertIn("9 reused", text)  # resumed from the journal: nothing ran again
        again = summary(out_h5)
        self.assertEqual(list(again["combo"]), list(rows["combo"]))
        self.assertEqual(list(again["m2.mse"]), list(rows["m2.mse"]))

    def test_list_and_stop_a_running_job(self):
        canvas = self.write("slow.json", json.dumps({"version": 1, "name": "slow", "modules": [
            {"id": "s", "type": "noop", "params": {"sleep_ms": 120000}}]}))
        code, out, err = run(["submit", "--cluster", "local", canvas, "-o", os.path.join(self.tmp, "slow.h5")],
                             env=self.slurm_env, cwd=self.tmp)
        self.assertEqual(code, 0, out + err)
        job = out.split("submitted job ")[1].split()[0]
        self.wait_for("the job to run", lambda: self.squeue_state(job) == "RUNNING")

        code, out, err = run(["cluster", "list"], env=self.slurm_env, cwd=self.tmp)
        self.assertEqual(code, 0, err)
        self.assertRegex(out, r"\n  local +1 +2 .* 1 running, 0 queued\n")
        self.assertRegex(out, rf"\n  +{job}  fai-local-slow  local +RUNNING ")
        code, out, err = run(["cluster", "show", "local"], env=self.slurm_env, cwd=self.tmp)
        self.assertEqual(code, 0, err)
        self.assertIn("jobs          1 running, 0 queued", out)

        code, out, err = run(["cluster", "stop", "local"], env=self.slurm_env, cwd=self.tmp)
        self.assertEqual(code, 0, err)
        self.assertIn(f"cancelled 1 job of profile local: {job} (fai-local-slow, RUNNING)", out)
        self.wait_for("the job to leave the queue", lambda: self.squeue_state(job) in ("", "CANCELLED", "COMPLETED"))
        code, out, err = run(["cluster", "stop", "small"], env=self.slurm_env, cwd=self.tmp)
        self.assertEqual(code, 0, err)
        self.assertIn("no jobs of profile small to stop", out)


if __name__ == "__main__":
    unittest.main()
