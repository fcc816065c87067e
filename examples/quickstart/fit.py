"""Fits a ridge-penalised polynomial on even points, scores it on odd points.
Numbers written to FAI_OUTPUT become metrics (m2.mse, m2.r2 in results.h5)."""
import argparse
import json
import os

parser = argparse.ArgumentParser()
parser.add_argument("--data", required=True)
parser.add_argument("--degree", type=int, required=True)
parser.add_argument("--ridge", type=float, required=True)
args = parser.parse_args()

with open(args.data) as f:
    data = json.load(f)
xs, ys = data["x"], data["y"]
train = [(x, y) for i, (x, y) in enumerate(zip(xs, ys)) if i % 2 == 0]
test = [(x, y) for i, (x, y) in enumerate(zip(xs, ys)) if i % 2 == 1]

# Normal equations (X'X + ridge*I) w = X'y, solved by Gaussian elimination.
n = args.degree + 1
a = [[sum(x ** (i + j) for x, _ in train) + (args.ridge if i == j else 0.0) for j in range(n)] for i in range(n)]
b = [sum(y * x ** i for x, y in train) for i in range(n)]
for col in range(n):
    pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
    a[col], a[pivot], b[col], b[pivot] = a[pivot], a[col], b[pivot], b[col]
    for r in range(col + 1, n):
        f = a[r][col] / a[col][col]
        a[r] = [u - f * v for u, v in zip(a[r], a[col])]
        b[r] -= f * b[col]
w = [0.0] * n
for r in reversed(range(n)):
    w[r] = (b[r] - sum(a[r][c] * w[c] for c in range(r + 1, n))) / a[r][r]

predict = lambda x: sum(wi * x ** i for i, wi in enumerate(w))
mse = sum((predict(x) - y) ** 2 for x, y in test) / len(test)
mean = sum(y for _, y in test) / len(test)
r2 = 1 - mse * len(test) / sum((y - mean) ** 2 for _, y in test)

with open(os.environ["FAI_OUTPUT"], "w") as f:
    json.dump({"mse": mse, "r2": r2}, f)
print(f"degree={args.degree} ridge={args.ridge} mse={mse:.4f} r2={r2:.4f}")
