"""The result file, the journal and resume, show / export / status and the plot script, used as the
README shows (issue: results that are never lost). Helpers here are shared with test_crash.py."""
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import time
import unittest

import h5py
import numpy as np
import pandas as pd

from fai_e2e import FAI_SWEEP, MPI_ENV, TempDirTest, fai, source

QUICK_CANVAS = source("examples", "quickstart", "canvas.json")
QUICK_GRID = source("examples", "quickstart", "grid.yaml")
PLOT = source("scripts", "plot_sweep.py")

# data -> features -> model (swept) -> backtest (swept; also reads the data), like the seed's canvas.
CHAIN = {
    "version": 1,
    "name": "chain",
    "modules": [
        {"id": "d", "type": "noop", "params": {"value": 1, "sleep_ms": 5}},
        {"id": "f", "type": "noop", "inputs": {"in": "d.out"}, "params": {"value": "feat"}},
        {"id": "m", "type": "noop", "inputs": {"in": "f.out"}, "params": {"value": 0}},
        {"id": "t", "type": "noop", "inputs": {"in": "m.out", "in2": "d.out"}, "params": {"value": "x"}},
    ],
}
CHAIN_GRID = "grid:\n  m.value: [1, 2, 3]\n  t.value: [a, b]\n"

# A command module whose outputs are a metric map, a scalar, a list (an equity curve) and a
# nested table-like dict, computed from three swept params.
METRICS_PY = r"""
import json, math, os, sys
p = json.load(open(os.environ["FAI_TASK"]))["params"]
x, y, z = float(p["x"]), float(p["y"]), float(p["z"])
score = math.sin(x) * math.cos(y) + z
equity = [1.0 + score * i / 10 for i in range(12)]
json.dump({"metrics": {"score": score, "trades": int(x * 10 + y)}, "n": 12, "equity": equity,
           "flag": x > y}, open(os.environ["FAI_OUTPUT"], "w"))
"""


def metrics_canvas(tmp):
    script = os.path.join(tmp, "metrics.py")
    with open(script, "w") as f:
        f.write(METRICS_PY)
    return {"version": 1, "name": "metrics", "modules": [
        {"id": "s", "type": "command",
         "params": {"argv": ["python3", script], "x": 0.0, "y": 0.0, "z": 0.0}}]}


# ------------------------------------------------------------------------------------------
# Shared helpers

def decode(v):
    return v.decode() if isinstance(v, bytes) else v


def read_summary(path):
    """The README's way: a DataFrame of /summary (text columns decoded for comparisons)."""
    with h5py.File(path, "r") as f:
        df = pd.DataFrame(f["summary"][()])
    for col in df.columns:
        if df[col].dtype == object:
            df[col] = df[col].map(decode)
    return df


def _value_key(v):
    if isinstance(v, h5py.Empty):
        return ("empty", str(v.dtype))
    a = np.asarray(v)
    if a.dtype.kind == "O":
        return ("object", a.shape, repr([decode(x) for x in a.ravel().tolist()]))
    return (a.dtype.str, a.shape, a.tobytes())


def dump_results(path, skip=("wall_s",), skip_groups=("/usage",)):
    """Every group, dataset, field and attribute of a result file, following the links (so a shared
    task shows under each combination), keyed by path: the file's content, bit for bit, without
    what differs from run to run by nature (wall times, the usage report)."""
    out = {}
    with h5py.File(path, "r") as f:
        def walk(name, obj):
            if name in skip_groups:
                return
            for k, v in obj.attrs.items():
                if k not in skip:
                    out[f"{name}@{k}"] = _value_key(v)
            if isinstance(obj, h5py.Group):
                out[name] = ("group", tuple(sorted(obj.keys())))
                for k in obj:
                    walk(f"{name}/{k}", obj[k])
            else:
                data = obj[()]
                if obj.dtype.names:
                    out[name] = ("compound", obj.shape, tuple(n for n in obj.dtype.names if n not in skip))
                    for field in obj.dtype.names:
                        if field not in skip:
                            out[f"{name}:{field}"] = _value_key(data[field])
                else:
                    out[name] = ("dataset", _value_key(data))
        walk("", f)
    return out


def assert_same_results(test, path, expected_dump, expected_combos):
    """The file at `path` holds every expected combination exactly once, with the same content."""
    df = read_summary(path)
    test.assertEqual(sorted(df["combo"]), sorted(expected_combos))
    test.assertEqual(len(set(df["combo"])), len(df), "a combination appears twice")
    got = dump_results(path)
    if got != expected_dump:
        missing = sorted(set(expected_dump) - set(got))[:5]
        extra = sorted(set(got) - set(expected_dump))[:5]
        differ = sorted(k for k in set(got) & set(expected_dump) if got[k] != expected_dump[k])[:5]
        test.fail(f"{path} differs from the uninterrupted run: missing {missing}, extra {extra}, differ {differ}")


def parse_printed_table(text):
    """The closing table a run prints: a header, a rule of dashes, rows; columns found from the rule."""
    lines = text.splitlines()
    for i in range(1, len(lines)):
        if lines[i].startswith("-") and set(lines[i]) <= {"-", " "}:
            spans = [m.span() for m in re.finditer(r"-+", lines[i])]
            cut = lambda line: [line[a:(spans[j + 1][0] if j + 1 < len(spans) else None)].strip()
                                for j, (a, _) in enumerate(spans)]
            header = cut(lines[i - 1])
            rows = []
            for line in lines[i + 1:]:
                if not line.strip():
                    break
                rows.append(dict(zip(header, cut(line))))
            return header, rows
    raise AssertionError("no table in:\n" + text)


def read_text(path, mode="r"):
    with open(path, mode) as f:
        return f.read()


def write_json(tmp, name, obj):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        json.dump(obj, f, indent=1)
    return path


# ------------------------------------------------------------------------------------------

class PythonUsers(TempDirTest):
    """The README's three lines load /summary into pandas with the values the run printed."""

    def test_dataframe_matches_the_printed_table(self):
        out = os.path.join(self.tmp, "results.h5")
        r = fai(QUICK_CANVAS, QUICK_GRID, "-o", out)
        self.assertEqual(r.code, 0, r.err)
        header, rows = parse_printed_table(r.out)

        import h5py, pandas as pd  # noqa: E401,F811  -- the README's three lines, verbatim
        df = pd.DataFrame(h5py.File(out)["summary"][()])
        print(df.sort_values("m2.r2", ascending=False).head(2), file=sys.stderr)

        self.assertEqual(list(df.columns), header + ["error"])
        self.assertEqual(len(df), len(rows))
        self.assertEqual(len(df), 8)
        for i, row in enumerate(rows):
            for col in header:
                value = df[col][i]
                shown = row[col]
                if isinstance(value, bytes):
                    self.assertEqual(value.decode(), shown, col)
                elif np.issubdtype(type(value), np.integer):
                    self.assertEqual(int(shown), value, col)
                else:
                    self.assertAlmostEqual(float(shown), value, delta=5e-7, msg=col)
        self.assertEqual(df["m2.degree"].dtype, np.int64)  # YAML ints stay ints
        self.assertEqual(df["m2.ridge"].dtype, np.float64)
        self.assertTrue((df["status"] == b"ok").all())
        self.assertTrue((df["error"] == b"").all())
        self.assertTrue((df["wall_s"] > 0).all())


class Layout(TempDirTest):
    def run_chain(self, *extra, grid=CHAIN_GRID, canvas=CHAIN, name="r.h5"):
        c = write_json(self.tmp, "canvas.json", canvas)
        g = self.write("grid.yaml", grid)
        out = os.path.join(self.tmp, name)
        r = fai(c, g, "-o", out, *extra)
        return r, out, c, g

    def test_groups_links_summary_and_run_info(self):
        r, out, c, g = self.run_chain()
        self.assertEqual(r.code, 0, r.err)
        plan = fai(c, g, "--dry-run", "--json").json()
        with h5py.File(out, "r") as f:
            df = read_summary(out)
            self.assertEqual(list(df.columns[:4]), ["combo", "status", "m.value", "t.value"])
            self.assertEqual(list(df.columns[-2:]), ["wall_s", "error"])
            # A dict output's scalar entries flatten to moduleId.key; one that would take a swept
            # key's name is spelled out (moduleId.port.key).
            self.assertIn("d.sleep_ms", df.columns)
            self.assertIn("t.out.value", df.columns)
            self.assertEqual(sorted(df["t.out.value"]), ["a", "a", "a", "b", "b", "b"])
            self.assertEqual(sorted(df["combo"]), sorted(cb["id"] for cb in plan["combos"]))
            # A group per combination, its params as attributes, a member per module.
            self.assertEqual(sorted(f["combos"]), sorted(df["combo"]))
            for cb in plan["combos"]:
                g = f["combos"][cb["id"]]
                self.assertEqual({k: decode(v) for k, v in g.attrs.items()}, cb["params"])
                self.assertEqual(sorted(g), ["d", "f", "m", "t"])
            # Tasks stored once, hard-linked from every combination that uses them.
            self.assertEqual({m: len(f["tasks"][m]) for m in f["tasks"]}, plan["tasks_per_module"])
            ids = sorted(df["combo"])
            first, others = f["combos"][ids[0]], [f["combos"][i] for i in ids[1:]]
            for o in others:
                self.assertEqual(o["d"], first["d"])  # the same HDF5 object, not a copy
                self.assertEqual(o["f"], first["f"])
            self.assertEqual(len({f["combos"][i]["t"].id.__hash__() for i in ids}), 6)
            task = f["combos"][ids[0]]["t"]
            self.assertEqual(f[task.name], task)
            # A map output is one compound dataset: ds["key"] reads an entry.
            self.assertEqual(int(task["out"]["inputs"]), 2)
            # The run's canvas, grid and engine version.
            self.assertEqual(f["run/canvas"][()].decode(), read_text(c))
            self.assertEqual(f["run/grid"][()].decode(), CHAIN_GRID)
            self.assertRegex(f["run"].attrs["engine_version"], r"^fai-sweep \d+\.\d+\.\d+")
            # /task_index: one row per distinct task.
            self.assertEqual(len(f["task_index"]), plan["distinct_tasks"])
        self.assertFalse(os.path.exists(out + ".tmp"))
        self.assertTrue(os.path.exists(out + ".journal"))

    def test_save_patterns_choose_the_non_scalar_outputs(self):
        canvas = json.loads(json.dumps(CHAIN))
        canvas["modules"][1]["params"]["payload_bytes"] = 70000   # f: not a last module
        canvas["modules"][3]["params"]["payload_bytes"] = 70000   # t: a last module
        r, out, _, _ = self.run_chain(canvas=canvas)
        self.assertEqual(r.code, 0, r.err)
        with h5py.File(out, "r") as f:
            combo = f["combos"][next(iter(f["combos"]))]
            self.assertEqual(len(combo["t"]["payload"][()]), 70000)   # last module: saved by default
            self.assertNotIn("payload", combo["f"])                  # big, not last: not saved
            self.assertIn("out", combo["f"])                         # maps always
        r, out2, _, _ = self.run_chain("--save", "f.payload", canvas=canvas, name="r2.h5")
        self.assertEqual(r.code, 0, r.err)
        with h5py.File(out2, "r") as f:
            combo = f["combos"][next(iter(f["combos"]))]
            self.assertEqual(len(combo["f"]["payload"][()]), 70000)
            self.assertNotIn("payload", combo["t"])
            self.assertEqual(f["run"].attrs["save"], "f.payload")
        r, _, _, _ = self.run_chain("--save", "x.payload", name="r3.h5")
        self.assertEqual(r.code, 2)
        self.assertIn('--save x.payload: no module "x"', r.err)
        r, _, _, _ = self.run_chain("--save", "t.paylod", name="r3.h5")
        self.assertEqual(r.code, 2)
        self.assertIn('did you mean "t.payload"', r.err)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "r3.h5")))

    def test_command_outputs_lists_maps_and_show_combo(self):
        canvas = write_json(self.tmp, "canvas.json", metrics_canvas(self.tmp))
        grid = self.write("grid.yaml", "grid:\n  s.x: [0.5, 1.5]\n  s.y: [0.0, 1.0]\n")
        out = os.path.join(self.tmp, "m.h5")
        r = fai(canvas, grid, "-o", out)
        self.assertEqual(r.code, 0, r.err)
        df = read_summary(out)
        self.assertEqual(df["s.trades"].dtype, np.int64)
        self.assertEqual(df["s.flag"].dtype, np.bool_)
        with h5py.File(out, "r") as f:
            cid = df["combo"][0]
            task = f["combos"][cid]["s"]
            equity = task["equity"][()]
            self.assertEqual(equity.shape, (12,))
            self.assertAlmostEqual(float(task["metrics"]["score"]), df["s.score"][0])
            self.assertEqual(int(task.attrs["n"]), 12)
        r = fai("show", out, "--combo", cid[:6])
        self.assertEqual(r.code, 0, r.err)
        self.assertIn(f"combination {cid}  ok", r.out)
        self.assertRegex(r.out, r"s\.x\s+0\.5")
        self.assertIn("equity", r.out)
        self.assertIn("(list of 12)", r.out)
        self.assertRegex(r.out, r"score\s+-?\d")


class Resume(TempDirTest):
    def setUp(self):
        super().setUp()
        self.canvas = write_json(self.tmp, "canvas.json", CHAIN)
        self.grid = self.write("grid.yaml", CHAIN_GRID)
        self.out = os.path.join(self.tmp, "r.h5")

    def run_(self, *extra, grid=None, canvas=None):
        return fai(canvas or self.canvas, grid or self.grid, "-o", self.out, *extra)

    def test_rerun_reuses_everything_and_equals(self):
        r = self.run_()
        self.assertEqual(r.code, 0, r.err)
        first = dump_results(self.out)
        combos = list(read_summary(self.out)["combo"])
        r = self.run_()
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("resume: reusing 11 of 11 tasks; 0 to run", r.out)
        self.assertIn("11 tasks: 11 reused, 0 run", r.out)
        assert_same_results(self, self.out, first, combos)
        # --fresh starts over.
        r = self.run_("--fresh")
        self.assertEqual(r.code, 0, r.err)
        self.assertNotIn("resume:", r.out)
        self.assertIn("11 tasks: 0 reused, 11 run", r.out)
        assert_same_results(self, self.out, first, combos)

    def test_the_comparison_notices_one_changed_bit(self):
        self.assertEqual(self.run_().code, 0)
        expected = dump_results(self.out)
        combos = list(read_summary(self.out)["combo"])
        copy = os.path.join(self.tmp, "copy.h5")
        shutil.copy(self.out, copy)
        with h5py.File(copy, "r+") as f:
            ds = f["tasks"]["t"][next(iter(f["tasks"]["t"]))]["out"]
            row = ds[()]
            row["inputs"] += 1
            ds[()] = row
        with self.assertRaises(AssertionError):
            assert_same_results(self, copy, expected, combos)
        assert_same_results(self, self.out, expected, combos)

    def test_changed_grid_and_canvas_reuse_what_matches_and_say_what_changed(self):
        self.assertEqual(self.run_().code, 0)
        grid2 = self.write("grid2.yaml", "grid:\n  m.value: [2, 3, 4]\n  t.value: [a, b]\n")
        r = self.run_(grid=grid2)
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("resume: the grid changed since the last run: 2 new combinations, 2 dropped", r.out)
        # m=4 is new: its model and two backtests run, fed by d and f's outputs from the journal.
        self.assertIn("resume: reusing 8 of 11 tasks; 3 to run (m: 1, t: 2)", r.out)
        self.assertIn("resume: the recorded outputs of 2 reused tasks are fed from the journal to tasks "
                      "that run (d: 1, f: 1)", r.out)
        df = read_summary(self.out)
        self.assertEqual(sorted(df["m.value"]), [2, 2, 3, 3, 4, 4])
        # A fresh run of the new grid gives the same file.
        fresh = os.path.join(self.tmp, "fresh.h5")
        self.assertEqual(fai(self.canvas, grid2, "-o", fresh).code, 0)
        assert_same_results(self, self.out, dump_results(fresh), list(read_summary(fresh)["combo"]))

        canvas2 = json.loads(json.dumps(CHAIN))
        canvas2["modules"][3]["params"]["sleep_ms"] = 1   # only the backtests change
        c2 = write_json(self.tmp, "canvas2.json", canvas2)
        r = self.run_(grid=grid2, canvas=c2)
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("resume: the canvas changed since the last run", r.out)
        self.assertIn("resume: reusing 5 of 11 tasks; 6 to run (t: 6)", r.out)
        self.assertIn("fed from the journal to tasks that run (d: 1, m: 3)", r.out)
        fresh2 = os.path.join(self.tmp, "fresh2.h5")
        self.assertEqual(fai(c2, grid2, "-o", fresh2).code, 0)
        assert_same_results(self, self.out, dump_results(fresh2), list(read_summary(fresh2)["combo"]))

    def test_outputs_not_recorded_are_recomputed_for_tasks_that_run(self):
        # f's payload (70 kB, not a scalar) is what m reads: not in the journal unless saved.
        canvas = json.loads(json.dumps(CHAIN))
        canvas["modules"][1]["params"]["payload_bytes"] = 70000
        canvas["modules"][2]["inputs"] = {"in": "f.payload"}
        c = write_json(self.tmp, "payload.json", canvas)
        self.assertEqual(fai(c, self.grid, "-o", self.out).code, 0)
        grid2 = self.write("grid2.yaml", "grid:\n  m.value: [1, 2, 3, 4]\n  t.value: [a, b]\n")
        r = fai(c, grid2, "-o", self.out)
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("resume: reusing 10 of 14 tasks; 4 to run (f: 1, m: 1, t: 2)", r.out)
        self.assertIn("1 finished task runs again because a task that runs reads an output of it", r.out)
        self.assertIn("--save", r.out)
        # With f.payload saved, it is fed from the journal instead.
        out2 = os.path.join(self.tmp, "saved.h5")
        self.assertEqual(fai(c, self.grid, "-o", out2, "--save", "last,f.payload").code, 0)
        r = fai(c, grid2, "-o", out2, "--save", "last,f.payload")
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("resume: reusing 11 of 14 tasks; 3 to run (m: 1, t: 2)", r.out)

    def test_existing_output_without_journal_is_not_overwritten(self):
        self.assertEqual(self.run_().code, 0)
        os.remove(self.out + ".journal")
        before = read_text(self.out, "rb")
        r = self.run_()
        self.assertEqual(r.code, 2)
        self.assertIn("exists but its journal", r.err)
        self.assertIn("--fresh", r.err)
        self.assertEqual(read_text(self.out, "rb"), before)
        r = self.run_("--fresh")
        self.assertEqual(r.code, 0, r.err)

    def test_a_second_run_on_the_same_output_is_refused(self):
        slow = json.loads(json.dumps(CHAIN))
        slow["modules"][0]["params"]["sleep_ms"] = 3000
        c = write_json(self.tmp, "slow.json", slow)
        env = dict(os.environ, **MPI_ENV)
        first = subprocess.Popen([FAI_SWEEP, c, self.grid, "-o", self.out], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, env=env)
        try:
            deadline = time.time() + 20
            while not os.path.exists(self.out + ".journal") and time.time() < deadline:
                time.sleep(0.05)
            time.sleep(0.3)
            r = fai(c, self.grid, "-o", self.out)
            self.assertEqual(r.code, 2, r.err)
            self.assertIn("another fai-sweep run is writing", r.err)
        finally:
            first.kill()
            first.communicate(timeout=30)

    def test_failed_tasks_rerun_and_succeeded_ones_are_reused(self):
        canvas = json.loads(json.dumps(CHAIN))
        c = write_json(self.tmp, "fail.json", canvas)
        grid = self.write("fail.yaml", "grid:\n  m.value: [1, 2]\n  m.fail: [false, true]\n")
        r = fai(c, grid, "-o", self.out)
        self.assertEqual(r.code, 1, r.err)
        df = read_summary(self.out)
        failed = df[df["m.fail"]]
        self.assertEqual(list(failed["status"]), ["failed", "failed"])
        self.assertTrue(all("m: noop: failing as asked" in e for e in failed["error"]))
        self.assertTrue(failed["t.inputs"].isna().all())  # the backtest never ran
        self.assertIn("failed: m: noop: failing as asked", r.err)
        r = fai(c, grid, "-o", self.out)
        self.assertEqual(r.code, 1, r.err)
        self.assertIn("resume: reusing 6 of 10 tasks; 4 to run (m: 2, t: 2)", r.out)


class Commands(TempDirTest):
    @classmethod
    def setUpClass(cls):
        cls._dir = __import__("tempfile").TemporaryDirectory()
        cls.dir = cls._dir.name
        cls.out = os.path.join(cls.dir, "results.h5")
        r = fai(QUICK_CANVAS, QUICK_GRID, "-o", cls.out)
        assert r.code == 0, r.err
        cls.df = read_summary(cls.out)

    @classmethod
    def tearDownClass(cls):
        cls._dir.cleanup()

    def table(self, *args):
        r = fai("show", self.out, *args)
        self.assertEqual(r.code, 0, r.err)
        return parse_printed_table(r.out)

    def test_show_sort_top_where(self):
        header, rows = self.table()
        self.assertEqual(len(rows), 8)
        self.assertNotIn("error", header)
        _, rows = self.table("--sort", "m2.r2", "--top", "3")
        best = self.df.sort_values("m2.r2", ascending=False).head(3)
        self.assertEqual([r["combo"] for r in rows], list(best["combo"]))
        _, rows = self.table("--sort", "m2.mse", "--asc", "--top", "1")
        self.assertEqual(rows[0]["combo"], self.df.sort_values("m2.mse")["combo"].iloc[0])
        _, rows = self.table("--where", "m2.degree>3 and m2.ridge==0.1")
        self.assertEqual(sorted(int(r["m2.degree"]) for r in rows), [5, 9])
        _, rows = self.table("--where", "m2.degree>=3", "--where", "status==ok", "--columns", "combo,m2.r2")
        self.assertEqual(len(rows), 6)
        self.assertEqual(list(rows[0]), ["combo", "m2.r2"])

    def test_export_csv_and_json(self):
        csv_path = os.path.join(self.tmp, "out.csv")
        json_path = os.path.join(self.tmp, "out.json")
        r = fai("export", self.out, "--csv", csv_path, "--json", json_path)
        self.assertEqual(r.code, 0, r.err)
        with open(csv_path) as f:
            rows = list(csv.DictReader(f))
        records = json.loads(read_text(json_path))
        self.assertEqual(len(rows), 8)
        self.assertEqual(len(records), 8)
        for i in range(8):
            self.assertEqual(rows[i]["combo"], self.df["combo"][i])
            self.assertEqual(float(rows[i]["m2.r2"]), self.df["m2.r2"][i])  # exact: 17 digits
            self.assertEqual(records[i]["m2.r2"], self.df["m2.r2"][i])
            self.assertEqual(records[i]["m2.degree"], int(self.df["m2.degree"][i]))
        r = fai("export", self.out, "--json", "-", "--sort", "m2.r2", "--top", "2", "--columns", "combo,m2.r2")
        self.assertEqual(r.code, 0, r.err)
        self.assertEqual([x["combo"] for x in json.loads(r.out)],
                         list(self.df.sort_values("m2.r2", ascending=False)["combo"][:2]))

    def test_bad_input_is_a_clear_message_and_status_2(self):
        cases = [
            (["show", os.path.join(self.tmp, "missing.h5")], "missing.h5: no such file"),
            (["show", self.out, "--sort", "m2.r3"], 'did you mean "m2.r2"'),
            (["show", self.out, "--where", "m2.degre>3"], 'did you mean "m2.degree"'),
            (["show", self.out, "--where", "m2.degree >"], "a value is missing"),
            (["show", self.out, "--where", "m2.degree ~ 3"], "--where"),
            (["show", self.out, "--where", "m2.degree>three"], "is not one"),
            (["show", self.out, "--combo", "zzzz"], 'no combination "zzzz"'),
            (["export", self.out], "--csv"),
            (["export", self.out, "--csv", os.path.join(self.tmp, "no", "dir.csv")], "cannot create"),
            (["status", os.path.join(self.tmp, "missing.h5")], "no such file"),
            (["show", self.out, "--top", "0"], "--top"),
        ]
        for args, fragment in cases:
            r = fai(*args)
            self.assertEqual(r.code, 2, f"{args}: {r.out} {r.err}")
            self.assertIn(fragment, r.err, args)
            self.assertEqual(r.out, "", args)
        junk = self.write("junk.h5", "this is not HDF5\n")
        for cmd in (["show", junk], ["export", junk, "--csv", "-"], ["status", junk]):
            r = fai(*cmd)
            self.assertEqual(r.code, 2, cmd)
            self.assertIn("not a readable HDF5 file", r.err)

    def test_status_of_a_finished_sweep(self):
        r = fai("status", self.out)
        self.assertEqual(r.code, 0, r.err)
        self.assertRegex(r.out, r"finished .* ago: 8 combinations: 8 succeeded, 0 failed, 0 skipped")
        self.assertRegex(r.out, r"tasks\s+9: 9 done, 0 running, 0 failed, 0 remaining")
        self.assertRegex(r.out, r"throughput\s+[\d.]+ tasks/s")


class LiveStatus(TempDirTest):
    def test_status_follows_a_running_sweep_from_its_journal(self):
        canvas = {"version": 1, "modules": [{"id": "t", "type": "noop", "params": {"sleep_ms": 250}}]}
        c = write_json(self.tmp, "canvas.json", canvas)
        g = self.write("grid.yaml", "grid:\n  t.value: {range: [0, 16]}\n")
        out = os.path.join(self.tmp, "live.h5")
        env = dict(os.environ, **MPI_ENV)
        proc = subprocess.Popen(["mpirun", "-n", "2", FAI_SWEEP, c, g, "-o", out, "--cpus-per-rank", "2"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        seen = []
        try:
            deadline = time.time() + 60
            while proc.poll() is None and time.time() < deadline:
                r = fai("status", out)
                if r.code == 0 and "running" in r.out.splitlines()[0]:
                    seen.append(r.out)
                time.sleep(0.2)
            out_text, err_text = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
        self.assertEqual(proc.returncode, 0, err_text)
        self.assertTrue(seen, "status never saw the sweep running")
        done = [int(re.search(r"tasks\s+16: (\d+) done", s).group(1)) for s in seen]
        self.assertEqual(done, sorted(done))
        self.assertTrue(any(0 < d < 16 for d in done), seen)
        self.assertTrue(any(re.search(r"\d+ remaining", s) for s in seen))
        self.assertTrue(any("tasks/s" in s and "left" in s for s in seen), seen)
        r = fai("status", out)
        self.assertRegex(r.out, r"finished .*16 combinations: 16 succeeded")


class Plot(TempDirTest):
    def test_heat_map_and_lines_render_to_png(self):
        canvas = write_json(self.tmp, "canvas.json", metrics_canvas(self.tmp))
        grid = self.write("grid.yaml", "grid:\n  s.x: [0.0, 1.0, 2.0]\n  s.y: [0.0, 1.5]\n  s.z: [0.0, 0.5]\n")
        out = os.path.join(self.tmp, "results.h5")
        r = fai(canvas, grid, "-o", out)
        self.assertEqual(r.code, 0, r.err)
        png = os.path.join(self.tmp, "sweep.png")
        p = subprocess.run(["/usr/bin/python3", PLOT, out, "--metric", "s.score", "--x", "s.x", "--y", "s.y",
                            "--lines", "s.z", "-o", png], capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("a line per s.z", p.stdout)
        with open(png, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        self.assertGreater(os.path.getsize(png), 20000)
        import matplotlib.image
        pixels = matplotlib.image.imread(png)
        self.assertGreater(pixels.shape[0], 300)
        self.assertGreater(float(pixels[..., :3].std()), 0.05)  # not a blank canvas
        # Defaults (keys in grid order, the first output) and a clear error.
        p = subprocess.run(["/usr/bin/python3", PLOT, out], capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(os.path.exists(os.path.join(self.tmp, "results.s.flag.png")) or "wrote" in p.stdout)
        p = subprocess.run(["/usr/bin/python3", PLOT, out, "--metric", "s.scor"], capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        self.assertIn("no column 's.scor'", p.stderr)


if __name__ == "__main__":
    unittest.main()
