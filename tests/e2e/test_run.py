"""Sweeps that really run: fai-sweep with and without mpirun, command modules, capacity errors."""
import glob
import json
import os
import unittest

import h5py
import numpy as np

from fai_e2e import TempDirTest, fai, source

QUICK = [source("examples", "quickstart", "canvas.json"), source("examples", "quickstart", "grid.yaml")]


def summary(path):
    with h5py.File(path, "r") as f:
        return f["summary"][()]


class RunsEverywhere(TempDirTest):
    def test_quickstart_same_results_at_1_2_4_ranks(self):
        tables = {}
        for ranks in (None, 2, 4):
            out = os.path.join(self.tmp, f"r{ranks}.h5")
            r = fai(*QUICK, "-o", out, ranks=ranks)
            self.assertEqual(r.code, 0, r.err)
            self.assertIn("8 combinations: 8 succeeded, 0 failed, 0 skipped", r.out)
            tables[ranks] = summary(out)
        base = tables[None]
        self.assertEqual(len(base), 8)
        self.assertTrue({"combo", "status", "m2.degree", "m2.ridge", "m2.mse", "m2.r2", "wall_s"} <= set(base.dtype.names))
        self.assertTrue(all(s == b"ok" for s in base["status"]))
        self.assertTrue(np.all(base["m2.r2"] > 0.5))
        for ranks, table in tables.items():
            # Determinism: bit-identical metrics whatever the rank count.
            self.assertEqual(list(table["combo"]), list(base["combo"]))
            self.assertTrue(np.array_equal(table["m2.mse"], base["m2.mse"]), ranks)

    def test_printed_table_matches_file(self):
        out = os.path.join(self.tmp, "r.h5")
        r = fai(*QUICK, "-o", out)
        self.assertEqual(r.code, 0, r.err)
        rows = {row["combo"].decode(): row for row in summary(out)}
        for line in r.out.splitlines():
            parts = line.split()
            if parts and parts[0] in rows:
                self.assertAlmostEqual(float(parts[4]), rows[parts[0]]["m2.mse"], places=5)


class Logs(TempDirTest):
    def test_logs_of_a_combination(self):
        out = os.path.join(self.tmp, "r.h5")
        r = fai(*QUICK, "-o", out)
        self.assertEqual(r.code, 0, r.err)
        row = summary(out)[0]
        combo = row["combo"].decode()
        logs = fai("logs", out, "--combo", combo[:8], "--module", "m2")
        self.assertEqual(logs.code, 0, logs.err)
        self.assertIn(f"degree={row['m2.degree']} ", logs.out)  # what fit.py printed for this combination
        self.assertIn("stdout", logs.out)
        both = fai("logs", out, "--combo", combo)
        self.assertIn("=== m1 (command)", both.out)
        self.assertIn("shared by 8 combinations", both.out)
        bad = fai("logs", out, "--combo", "zzzz")
        self.assertEqual(bad.code, 2)
        self.assertIn("no such combination", bad.err)
        bad = fai("logs", out, "--combo", combo, "--module", "m3")
        self.assertEqual(bad.code, 2)


class CommandModules(TempDirTest):
    SCRIPT = (
        "import json, os, sys\n"
        "task = json.load(open(os.environ['FAI_TASK']))\n"
        "data = json.load(open(sys.argv[2]))\n"
        "out = {'argc': len(sys.argv), 'arg1': sys.argv[1], 'cwd_is_task_dir': os.getcwd() == task['work_dir'],\n"
        "       'num_cpus': os.environ['FAI_NUM_CPUS'], 'cuda': os.environ.get('CUDA_VISIBLE_DEVICES', 'unset'),\n"
        "       'extra': os.environ['EXTRA'], 'combo': task['combo'], 'lr_param': task['params']['lr'],\n"
        "       'input_sum': sum(data['value'])}\n"
        "json.dump(out, open(os.environ['FAI_OUTPUT'], 'w'))\n"
    )

    def canvas(self, gpus):
        self.write("probe.py", self.SCRIPT)
        return {
            "version": 1,
            "modules": [
                {"id": "src", "type": "noop", "params": {"value": [1, 2, 3]}},
                {"id": "cmd", "type": "command", "inputs": {"data": "src.out"},
                 "resources": {"num_cpus": 0.5, "num_gpus": gpus},
                 "params": {"argv": ["/usr/bin/python3", "{canvas_dir}/probe.py", "{lr}", "{inputs.data}"],
                            "lr": 0.1, "env": {"EXTRA": "x y"}}},
            ],
        }

    def test_argv_env_and_files(self):
        canvas = self.write("canvas.json", json.dumps(self.canvas(gpus=1)))
        grid = self.write("grid.yaml", "grid:\n  cmd.lr: [0.5, '; rm -rf ~']\n")
        out = os.path.join(self.tmp, "r.h5")
        r = fai(canvas, grid, "-o", out, "--gpus-per-rank", "2", ranks=2)
        self.assertEqual(r.code, 0, r.out + r.err)
        rows = summary(out)
        self.assertEqual(sorted(rows["cmd.arg1"]), sorted([b"; rm -rf ~", b"0.5"]))
        for row in rows:
            self.assertEqual(row["cmd.argc"], 3)  # the program and two arguments, whatever they hold
            self.assertEqual(row["cmd.num_cpus"], b"0.5")
            self.assertIn(row["cmd.cuda"], (b"0", b"1"))  # one device of this worker's two
            self.assertEqual(row["cmd.extra"], b"x y")
            self.assertEqual(row["cmd.input_sum"], 6)
            self.assertEqual(row["cmd.cwd_is_task_dir"], 1.0)
            self.assertEqual(row["cmd.combo"], row["combo"])
        self.assertFalse(os.path.exists(os.path.expanduser("~/; rm -rf ~")))
        # Each task's directory: r.run/tasks/<first 2 hex digits of its key>/cmd-<key>.
        tasks = os.path.join(self.tmp, "r.run", "tasks")
        dirs = sorted(glob.glob(os.path.join(tasks, "*", "cmd-*")))
        self.assertEqual(len(dirs), 2, dirs)
        for d in dirs:
            shard, name = os.path.relpath(d, tasks).split(os.sep)
            self.assertRegex(name, r"^cmd-[0-9a-f]{16}$")
            self.assertEqual(shard, name[len("cmd-"):][:2])
            self.assertTrue(os.path.isfile(os.path.join(d, "task.json")))

    def test_run_directory_that_cannot_be_made_is_bad_input(self):
        canvas = self.write("canvas.json", json.dumps(self.canvas(gpus=0)))
        run_dir = os.path.join(self.write("blocker", "a file"), "run")
        out = os.path.join(self.tmp, "r.h5")
        r = fai(canvas, "-o", out, "--run-dir", run_dir)
        self.assertEqual(r.code, 2, r.out + r.err)
        self.assertIn(run_dir, r.err)
        self.assertIn("--run-dir", r.err)
        self.assertFalse(os.path.exists(out))
        self.assertFalse(os.path.exists(out + ".journal"))

    def test_no_gpu_no_cuda_variable(self):
        canvas = self.write("canvas.json", json.dumps(self.canvas(gpus=0)))
        out = os.path.join(self.tmp, "r.h5")
        r = fai(canvas, "-o", out)
        self.assertEqual(r.code, 0, r.out + r.err)
        env_cuda = os.environ.get("CUDA_VISIBLE_DEVICES", "unset").encode()
        self.assertEqual(summary(out)["cmd.cuda"][0], env_cuda)

    def test_failing_program_fails_its_combination(self):
        canvas = {"version": 1, "modules": [
            {"id": "c", "type": "command", "params": {"argv": ["/usr/bin/python3", "-c", "import sys; sys.exit({code})"], "code": 0}}]}
        path = self.write("canvas.json", json.dumps(canvas))
        grid = self.write("grid.yaml", "grid:\n  c.code: [0, 3]\n")
        out = os.path.join(self.tmp, "r.h5")
        r = fai(path, grid, "-o", out)
        self.assertEqual(r.code, 1, r.err)
        self.assertIn("1 succeeded, 1 failed", r.out)
        self.assertIn("exited with status 3", r.err)
        statuses = sorted(summary(out)["status"])
        self.assertEqual(statuses, [b"failed", b"ok"])


class ProgramsUnderMpirun(TempDirTest):
    """What a command's program sees when the sweep runs under mpirun."""

    def run_probe(self, argv, ranks=2):
        canvas = {"version": 1, "modules": [{"id": "p", "type": "command", "params": {"argv": argv}}]}
        out = os.path.join(self.tmp, "r.h5")
        r = fai(self.write("canvas.json", json.dumps(canvas)), "-o", out, ranks=ranks, timeout=120)
        self.assertEqual(r.code, 0, r.out + r.err)
        return summary(out)[0]

    def test_an_mpi_program_starts_as_a_job_of_its_own(self):
        # With the launcher's variables it would take itself for a rank of the sweep's job: its
        # MPI_Init failed, and mpirun then hung.
        row = self.run_probe([os.environ["FAI_TEST_MPI_CHILD"]])
        self.assertEqual(row["p.world_size"], 1)

    def test_environment_without_the_launchers_job_variables(self):
        probe = ("import json, os\n"
                 "names = sorted(os.environ)\n"
                 "job = [n for n in names if n.startswith(('PMIX_', 'OMPI_COMM_WORLD', 'OMPI_MCA_orte', 'OMPI_MCA_ess'))]\n"
                 "json.dump(dict(job=','.join(job), yield_=os.environ.get('OMPI_MCA_mpi_yield_when_idle', 'gone'),\n"
                 "               pml=os.environ.get('OMPI_MCA_pml', 'gone'),\n"
                 "               hwloc=os.environ.get('HWLOC_COMPONENTS', 'gone')),\n"
                 "          open(os.environ['FAI_OUTPUT'], 'w'))\n")
        row = self.run_probe(["/usr/bin/python3", "-c", probe])
        self.assertEqual(row["p.job"], b"")
        self.assertEqual(row["p.yield_"], b"1")  # the user's MCA setting stays
        # What fai-sweep chose for its own ranks' MPI_Init on one host.
        self.assertEqual(row["p.pml"], b"gone")
        self.assertEqual(row["p.hwloc"], b"gone")

    def test_tasks_use_the_cpus_the_worker_offers(self):
        # mpirun -n 2 binds each rank to one core when the host has two; the worker offers all
        # the host's CPUs, and its programs may use them.
        probe = ("import json, os\n"
                 "json.dump(dict(cpus=len(os.sched_getaffinity(0))), open(os.environ['FAI_OUTPUT'], 'w'))\n")
        row = self.run_probe(["/usr/bin/python3", "-c", probe])
        self.assertGreaterEqual(row["p.cpus"], len(os.sched_getaffinity(0)))


class Capacity(TempDirTest):
    def test_request_that_fits_no_worker_is_an_error_before_running(self):
        canvas = {"version": 1, "modules": [
            {"id": "m1", "type": "noop"},
            {"id": "big", "type": "noop", "inputs": {"in": "m1.out"}, "resources": {"num_cpus": 64, "memory": "2G"}}]}
        path = self.write("canvas.json", json.dumps(canvas))
        out = os.path.join(self.tmp, "r.h5")
        r = fai(path, "-o", out, "--cpus-per-rank", "4", ranks=2)
        self.assertEqual(r.code, 2, r.out + r.err)
        self.assertIn('module "big"', r.err)
        self.assertIn("64 CPUs", r.err)
        self.assertIn("4 CPUs", r.err)  # the largest worker
        self.assertFalse(os.path.exists(out))

    def test_bad_capacity_flag(self):
        path = self.write("canvas.json", json.dumps({"version": 1, "modules": [{"id": "m1", "type": "noop"}]}))
        r = fai(path, "--mem-per-rank", "lots")
        self.assertEqual(r.code, 2)
        self.assertIn("--mem-per-rank", r.err)


if __name__ == "__main__":
    unittest.main()
