"""Prices a European call by Monte Carlo. Any program works the same way: fai-sweep passes the
swept values as arguments and reads the numbers it writes to FAI_OUTPUT as metrics."""
import argparse
import json
import math
import os
import random

parser = argparse.ArgumentParser()
parser.add_argument("--volatility", type=float, required=True)
parser.add_argument("--paths", type=int, required=True)
parser.add_argument("--strike", type=float, default=100.0)
parser.add_argument("--seed", type=int, default=1)
args = parser.parse_args()

rng = random.Random(args.seed)
spot, rate, years = 100.0, 0.02, 1.0
drift = (rate - 0.5 * args.volatility ** 2) * years
payoffs = []
for _ in range(args.paths):
    end = spot * math.exp(drift + args.volatility * math.sqrt(years) * rng.gauss(0.0, 1.0))
    payoffs.append(max(end - args.strike, 0.0))
mean = sum(payoffs) / len(payoffs)
var = sum((p - mean) ** 2 for p in payoffs) / (len(payoffs) - 1)
price = math.exp(-rate * years) * mean
stderr = math.exp(-rate * years) * math.sqrt(var / len(payoffs))

print(f"volatility={args.volatility} paths={args.paths} price={price:.4f} +- {stderr:.4f}")
with open(os.environ["FAI_OUTPUT"], "w") as f:
    json.dump({"price": price, "stderr": stderr}, f)
