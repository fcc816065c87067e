#!/usr/bin/python3
"""Plots a metric of a fai-sweep result file: a heat map over two swept keys, and a line per
value of a third key against the first, side by side in one PNG.

    python3 scripts/plot_sweep.py results.h5 --metric m2.r2 --x m2.degree --y m2.ridge -o sweep.png

Cells where several combinations share the same (x, y) -- other keys vary -- show their mean
(--agg max / min / median to change that). Only combinations with status "ok" are plotted.
Without --x / --y / --lines the swept keys are taken in grid order; without --metric, the first
output column. Needs h5py, pandas and matplotlib (Debian: python3-h5py python3-pandas
python3-matplotlib).
"""
import argparse
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

FIXED = {"combo", "status", "wall_s", "error"}


def load(path):
    """The /summary table (text columns decoded) and the swept keys in grid order."""
    with h5py.File(path, "r") as f:
        df = pd.DataFrame(f["summary"][()])
        combos = f["combos"]
        first = next(iter(combos), None)
        swept = [k for k in combos[first].attrs] if first is not None else []
    for col in df.columns:
        if df[col].dtype == object:
            df[col] = df[col].map(lambda v: v.decode() if isinstance(v, bytes) else v)
    # Grid order: as the columns of /summary (swept keys come right after combo and status).
    swept = [c for c in df.columns if c in set(swept)]
    return df, swept


def fail(message):
    print(f"plot_sweep.py: error: {message}", file=sys.stderr)
    sys.exit(2)


def label(values):
    return [f"{v:g}" if isinstance(v, (float, np.floating)) else str(v) for v in values]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", help="result file written by fai-sweep (results.h5)")
    parser.add_argument("--metric", help="column to plot, e.g. m15.sharpe [default: the first output]")
    parser.add_argument("--x", help="swept key along the heat map's columns and the lines' x axis")
    parser.add_argument("--y", help="swept key along the heat map's rows")
    parser.add_argument("--lines", help="swept key with one line per value [default: a third key, else --y]")
    parser.add_argument("--agg", default="mean", choices=["mean", "median", "max", "min"],
                        help="how combinations sharing a cell are combined (default: mean)")
    parser.add_argument("-o", "--output", help="PNG to write [default: <results>.<metric>.png]")
    parser.add_argument("--title", help="figure title")
    args = parser.parse_args()

    if not os.path.exists(args.results):
        fail(f"{args.results}: no such file")
    try:
        df, swept = load(args.results)
    except (OSError, KeyError) as e:
        fail(f"{args.results}: not a readable fai-sweep result file ({e})")
    keys = [args.x, args.y, args.lines]
    rest = [k for k in swept if k not in keys]
    x = args.x or (rest.pop(0) if rest else None)
    y = args.y or (rest.pop(0) if rest else None)
    lines = args.lines or (rest.pop(0) if rest else y)
    if x is None or y is None:
        fail(f"need two swept keys (--x, --y); the grid sweeps {swept or 'nothing'}")
    outputs = [c for c in df.columns if c not in FIXED and c not in swept and np.issubdtype(df[c].dtype, np.number)]
    metric = args.metric or (outputs[0] if outputs else None)
    for name, flag in ((metric, "--metric"), (x, "--x"), (y, "--y"), (lines, "--lines")):
        if name is None or name not in df.columns:
            fail(f"{flag}: no column {name!r} in {args.results} (columns: {', '.join(df.columns)})")
    if not np.issubdtype(df[metric].dtype, np.number):
        fail(f"--metric: column {metric!r} is not numeric")

    ok = df[df["status"] == "ok"]
    if ok.empty:
        fail(f"{args.results}: no combination succeeded; nothing to plot")
    grid = ok.pivot_table(index=y, columns=x, values=metric, aggfunc=args.agg).sort_index().sort_index(axis=1)

    fig, (heat_ax, line_ax) = plt.subplots(1, 2, figsize=(12, 4.8), constrained_layout=True)
    image = heat_ax.imshow(grid.values, origin="lower", aspect="auto", cmap="viridis")
    heat_ax.set_xticks(range(len(grid.columns)), label(grid.columns), rotation=45 if len(grid.columns) > 8 else 0)
    heat_ax.set_yticks(range(len(grid.index)), label(grid.index))
    heat_ax.set_xlabel(x)
    heat_ax.set_ylabel(y)
    heat_ax.set_title(f"{metric} ({args.agg})")
    if grid.size <= 150:
        finite = grid.values[np.isfinite(grid.values)]
        middle = (finite.min() + finite.max()) / 2 if finite.size else 0
        for (r, c), v in np.ndenumerate(grid.values):
            if np.isfinite(v):
                heat_ax.text(c, r, f"{v:.3g}", ha="center", va="center", fontsize=8,
                             color="black" if v > middle else "white")
    fig.colorbar(image, ax=heat_ax, label=metric)

    per_line = ok.groupby([lines, x])[metric].agg(args.agg).reset_index()
    for value, part in per_line.groupby(lines):
        part = part.sort_values(x)
        line_ax.plot(part[x], part[metric], marker="o", label=f"{lines} = {label([value])[0]}")
    line_ax.set_xlabel(x)
    line_ax.set_ylabel(f"{metric} ({args.agg})")
    line_ax.grid(True, alpha=0.3)
    line_ax.legend(fontsize=8)
    fig.suptitle(args.title or f"{os.path.basename(args.results)}: {metric}")

    output = args.output or f"{os.path.splitext(args.results)[0]}.{metric}.png"
    fig.savefig(output, dpi=110)
    print(f"wrote {output}: {metric} over {x} x {y}, a line per {lines} ({len(ok)} combinations)")


if __name__ == "__main__":
    main()
