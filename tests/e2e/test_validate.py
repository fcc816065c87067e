"""fai-sweep validate / --dry-run / modules, run as a user would (issue: foundation)."""
import json
import os
import re
import unittest

from fai_e2e import TempDirTest, fai, source

QUICK_CANVAS = source("examples", "quickstart", "canvas.json")
QUICK_GRID = source("examples", "quickstart", "grid.yaml")

CHAIN = {
    "version": 1,
    "name": "chain",
    "modules": [
        {"id": "m1", "type": "noop", "params": {"value": 1}},
        {"id": "m3", "type": "noop", "inputs": {"in": "m1.out"}},
        {"id": "m5", "type": "noop", "inputs": {"in": "m3.out"}},
    ],
}


class PlanOutput(TempDirTest):
    def test_dry_run_json_counts(self):
        r = fai(QUICK_CANVAS, QUICK_GRID, "--dry-run", "--json")
        self.assertEqual(r.code, 0, r.err)
        plan = r.json()
        self.assertEqual(plan["combinations"], 8)
        self.assertEqual(plan["distinct_tasks"], 9)  # the data once, 8 fits
        self.assertEqual(plan["tasks_saved"], 7)
        self.assertEqual(plan["tasks_per_module"], {"m1": 1, "m2": 8})
        self.assertEqual(len(plan["combos"]), 8)
        ids = [c["id"] for c in plan["combos"]]
        self.assertEqual(len(set(ids)), 8)
        for c in plan["combos"]:
            self.assertRegex(c["id"], r"^[0-9a-f]{16}$")
            self.assertEqual(set(c["params"]), {"m2.degree", "m2.ridge"})
        # YAML types survive: degrees are ints, ridges floats.
        self.assertIsInstance(plan["combos"][0]["params"]["m2.degree"], int)
        self.assertIsInstance(plan["combos"][0]["params"]["m2.ridge"], float)

    def test_validate_equals_dry_run(self):
        a = fai("validate", QUICK_CANVAS, QUICK_GRID, "--json")
        b = fai(QUICK_CANVAS, QUICK_GRID, "--dry-run", "--json")
        self.assertEqual(a.code, 0, a.err)
        self.assertEqual(a.json(), b.json())

    def test_text_plan(self):
        r = fai("validate", QUICK_CANVAS, QUICK_GRID)
        self.assertEqual(r.code, 0, r.err)
        self.assertRegex(r.out, r"combinations\s+8")
        self.assertRegex(r.out, r"distinct tasks\s+9")
        self.assertRegex(r.out, r"tasks saved\s+7 of 16")
        self.assertIn("m2.degree", r.out)

    def test_no_dedup(self):
        r = fai(QUICK_CANVAS, QUICK_GRID, "--dry-run", "--json", "--no-dedup")
        self.assertEqual(r.code, 0, r.err)
        self.assertEqual(r.json()["distinct_tasks"], 16)
        self.assertEqual(r.json()["tasks_saved"], 0)

    def test_ids_stable_when_grid_grows(self):
        canvas = self.write("canvas.json", json.dumps(CHAIN))
        small = self.write("small.yaml", "grid:\n  m3.value: [1, 2]\n  m5.value: [a, b]\n")
        big = self.write("big.yaml", "grid:\n  m5.value: [a, b, c]\n  m3.value: [1, 2, 3]\n")
        ids_small = {c["id"]: c["params"] for c in fai(canvas, small, "--dry-run", "--json").json()["combos"]}
        ids_big = {c["id"]: c["params"] for c in fai(canvas, big, "--dry-run", "--json").json()["combos"]}
        self.assertEqual(len(ids_small), 4)
        self.assertEqual(len(ids_big), 9)
        for cid, params in ids_small.items():
            self.assertEqual(ids_big.get(cid), params)

    def test_only_last_module_swept(self):
        canvas = self.write("canvas.json", json.dumps(CHAIN))
        grid = self.write("grid.yaml", "grid:\n  m5.value: {range: [0, 10, 2]}\n")
        plan = fai(canvas, grid, "--dry-run", "--json").json()
        self.assertEqual(plan["combinations"], 5)
        self.assertEqual(plan["tasks_per_module"], {"m1": 1, "m3": 1, "m5": 5})
        self.assertEqual(plan["distinct_tasks"], 7)
        self.assertEqual(plan["tasks_saved"], 8)

    def test_no_grid_runs_once(self):
        canvas = self.write("canvas.json", json.dumps(CHAIN))
        plan = fai("validate", canvas, "--json").json()
        self.assertEqual(plan["combinations"], 1)
        self.assertEqual(plan["distinct_tasks"], 3)


class BadInput(TempDirTest):
    """Every error: exit status 2, a message naming the file, the module id or key, and what was expected."""

    def check(self, canvas, grid, *fragments):
        cpath = self.write("canvas.json", canvas if isinstance(canvas, str) else json.dumps(canvas))
        args = [cpath] + ([self.write("grid.yaml", grid)] if grid is not None else [])
        for cmd in (["validate", *args], [*args, "--dry-run"]):
            r = fai(*cmd)
            self.assertEqual(r.code, 2, f"{cmd}: {r.out} {r.err}")
            self.assertEqual(r.out, "")
            for fragment in fragments:
                self.assertIn(fragment, r.err)
        return r.err

    def modules(self, *mods):
        return {"version": 1, "modules": list(mods)}

    def test_unknown_type(self):
        self.check(self.modules({"id": "m1", "type": "nop"}), None, "canvas.json", '"m1"', "nop", 'did you mean "noop"')

    def test_unknown_param(self):
        self.check(self.modules({"id": "m1", "type": "noop", "params": {"sleep_sm": 1}}), None,
                   "canvas.json", '"m1"', "sleep_sm", 'did you mean "sleep_ms"')

    def test_wrong_type_and_range(self):
        err = self.check(self.modules({"id": "m1", "type": "noop", "params": {"sleep_ms": "fast"}},
                                      {"id": "m2", "type": "noop", "params": {"payload_bytes": -5}}), None,
                         "canvas.json", '"m1"', "sleep_ms", '"m2"', "payload_bytes")
        self.assertIn("expected float", err)
        self.assertIn("expected int >= 0, got -5", err)

    def test_missing_input_module_and_port(self):
        self.check(self.modules({"id": "m1", "type": "noop"},
                                {"id": "m2", "type": "noop", "inputs": {"in": "m9.out", "in2": "m1.outt"}}), None,
                   "canvas.json", '"m2"', "inputs.in", '"m9"', "inputs.in2", '"outt"', 'did you mean "out"')

    def test_duplicate_id(self):
        self.check(self.modules({"id": "m1", "type": "noop"}, {"id": "m1", "type": "noop"}), None,
                   "canvas.json", 'duplicate id "m1"')

    def test_cycle(self):
        err = self.check(self.modules({"id": "m1", "type": "noop"},
                                      {"id": "m3", "type": "noop", "inputs": {"in": "m5.out"}},
                                      {"id": "m5", "type": "noop", "inputs": {"in": "m3.out"}}), None,
                         "canvas.json")
        self.assertTrue("m3 -> m5 -> m3" in err or "m5 -> m3 -> m5" in err, err)

    def test_grid_key_unknown_module_or_param(self):
        canvas = self.modules({"id": "data", "type": "noop"}, {"id": "model", "type": "noop"})
        self.check(canvas, "grid:\n  modle.value: [1, 2]\n", "grid.yaml", "modle.value", 'did you mean "model"')
        self.check(canvas, "grid:\n  model.valeu: [1, 2]\n", "grid.yaml", "model.valeu", 'did you mean "value"')

    def test_grid_value_out_of_range(self):
        canvas = self.modules({"id": "m1", "type": "noop"})
        self.check(canvas, "grid:\n  m1.sleep_ms: [1, -2]\n", "grid.yaml", "m1.sleep_ms", "expected float >= 0")

    def test_malformed_json_has_line_and_column(self):
        err = self.check('{\n  "version": 1,\n  "modules": [\n    {"id": "m1" "type": "noop"}\n  ]\n}\n', None,
                         "malformed JSON")
        self.assertRegex(err, r"canvas\.json:4:\d+")

    def test_malformed_yaml_has_line_and_column(self):
        err = self.check(self.modules({"id": "m1", "type": "noop"}), "grid:\n  m1.value: [1, 2\n  m1.fail: x\n",
                         "malformed YAML")
        self.assertRegex(err, r"grid\.yaml:\d+:\d+")

    def test_empty_grid(self):
        canvas = self.modules({"id": "m1", "type": "noop"})
        self.check(canvas, "", "grid.yaml", "empty")
        self.check(canvas, "grid:\n  m1.value: []\n", "grid.yaml", "m1.value")
        self.check(canvas, "grid:\n  m1.value: [1]\nexclude:\n  - {m1.value: 1}\n", "grid.yaml", "empty")

    def test_combinations_rule(self):
        canvas = self.modules({"id": "m1", "type": "noop"})
        self.check(canvas, "combinations:\n  - {m1.value: 1, m1.sleep_ms: 0}\n  - {m1.value: 2}\n",
                   "grid.yaml", "combinations[1]", "m1.sleep_ms")

    def test_missing_file(self):
        r = fai("validate", os.path.join(self.tmp, "nope.json"))
        self.assertEqual(r.code, 2)
        self.assertIn("nope.json", r.err)

    def test_unknown_flag(self):
        r = fai("validate", QUICK_CANVAS, "--frobnicate")
        self.assertEqual(r.code, 2)
        self.assertIn("frobnicate", r.err)


class Help(unittest.TestCase):
    def test_every_command_has_help_naming_its_options(self):
        expected = {
            (): ["--dry-run", "--json", "--no-dedup", "--output", "--cpus-per-rank", "--gpus-per-rank", "--mem-per-rank"],
            ("run",): ["--dry-run", "--json", "--no-dedup", "--output"],
            ("validate",): ["--json", "--no-dedup", "--show"],
            ("modules",): ["--json"],
        }
        for cmd, options in expected.items():
            r = fai(*cmd, "--help")
            self.assertEqual(r.code, 0, cmd)
            for option in options:
                self.assertIn(option, r.out, f"{cmd} --help lacks {option}")

    def test_modules_lists_types(self):
        r = fai("modules")
        self.assertEqual(r.code, 0, r.err)
        for name in ("noop", "command", "sleep_ms", "payload_bytes"):
            self.assertIn(name, r.out)
        types = {t["name"]: t for t in fai("modules", "--json").json()}
        self.assertIn("noop", types)
        self.assertTrue(types["command"]["free_form"])
        r = fai("modules", "nop")
        self.assertEqual(r.code, 2)
        self.assertIn('did you mean "noop"', r.err)


if __name__ == "__main__":
    unittest.main()
