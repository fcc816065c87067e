"""Writes a noisy sine wave as this task's `data` output (see FAI_OUTPUT in the README)."""
import argparse
import json
import math
import os
import random

parser = argparse.ArgumentParser()
parser.add_argument("--points", type=int, required=True)
parser.add_argument("--seed", type=int, required=True)
args = parser.parse_args()

rng = random.Random(args.seed)
xs = [i / (args.points - 1) for i in range(args.points)]
ys = [math.sin(2 * math.pi * x) + rng.gauss(0, 0.2) for x in xs]

with open(os.environ["FAI_OUTPUT"], "w") as f:
    json.dump({"data": {"x": xs, "y": ys}}, f)
