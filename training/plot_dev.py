"""Draws the dev-set SAD (trimap 1) against the training step from runs' dev.csv files, one line each (a
run started from another's checkpoint continues its step count).

  /usr/bin/python3 training/plot_dev.py [--runs training/checkpoints/light,training/checkpoints/light-256,...]
                                        [--out models/fba_light_dev_sad.png]

By default every run under training/checkpoints/ with a dev.csv, in the order they started.
"""
import argparse
import csv
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

HERE = Path(__file__).resolve().parent
# The eval README's reference rows on the same images and trimap.
REFERENCES = {"closed-form matting": 4.94, "KNN matting": 5.53}


def committed_runs():
    """Every run folder with scores, ordered by its first scored step (then by name)."""
    def first_step(run):
        with open(run / "dev.csv") as f:
            rows = list(csv.DictReader(f))
        return int(rows[0]["step"]) if rows else 0
    runs = [d for d in (HERE / "checkpoints").iterdir() if (d / "dev.csv").is_file()]
    return sorted(runs, key=lambda d: (first_step(d), d.name))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", help="comma-separated run folders; every committed run by default")
    ap.add_argument("--out", default=str(HERE.parent / "models" / "fba_light_dev_sad.png"))
    args = ap.parse_args()
    fig, ax = plt.subplots(figsize=(7, 4), dpi=100)
    first = None
    for run in args.runs.split(",") if args.runs else committed_runs():
        with open(Path(run) / "dev.csv") as f:
            rows = list(csv.DictReader(f))
        if not rows:
            raise SystemExit(f"{run}/dev.csv holds no scores yet")
        steps = [int(r["step"]) for r in rows]
        first = steps[0] if first is None else min(first, steps[0])
        ax.plot(steps, [float(r["SAD"]) for r in rows], marker="o", label=f"FBA-light, {Path(run).name}")
        print(f"{run}: {len(rows)} points, last step {steps[-1]} SAD {rows[-1]['SAD']}, best "
              f"{min(float(r['SAD']) for r in rows)}")
    for name, value in REFERENCES.items():
        ax.axhline(value, linestyle="--", linewidth=1, color="grey")
        ax.annotate(name, (first, value), textcoords="offset points", xytext=(2, 3), fontsize=8, color="grey")
    ax.set_xlabel("training step (batch 8 on 160-pixel crops in light, 6 on 256 in the later runs)")
    ax.set_ylabel("dev SAD, trimap 1 (lower is better)")
    ax.set_title("FBA-light, dev set: 20 real photographs with ground truth")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
