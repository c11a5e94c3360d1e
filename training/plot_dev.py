"""Draws the dev-set SAD (trimap 1) against the training step from a run's dev.csv.

  /usr/bin/python3 training/plot_dev.py [--run training/checkpoints/light] [--out models/fba_light_dev_sad.png]
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


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", default=str(HERE / "checkpoints" / "light"))
    ap.add_argument("--out", default=str(HERE.parent / "models" / "fba_light_dev_sad.png"))
    args = ap.parse_args()
    with open(Path(args.run) / "dev.csv") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        raise SystemExit(f"{args.run}/dev.csv holds no scores yet")
    steps = [int(r["step"]) for r in rows]
    fig, ax = plt.subplots(figsize=(7, 4), dpi=100)
    ax.plot(steps, [float(r["SAD"]) for r in rows], marker="o", label="FBA-light")
    for name, value in REFERENCES.items():
        ax.axhline(value, linestyle="--", linewidth=1, color="grey")
        ax.annotate(name, (steps[0], value), textcoords="offset points", xytext=(2, 3), fontsize=8, color="grey")
    ax.set_xlabel("training step (batch 8)")
    ax.set_ylabel("dev SAD, trimap 1 (lower is better)")
    ax.set_title("FBA-light, dev set: 20 real photographs with ground truth")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(args.out)
    print(f"wrote {args.out} ({len(rows)} points, last step {steps[-1]} SAD {rows[-1]['SAD']})")


if __name__ == "__main__":
    main()
