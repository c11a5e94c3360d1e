"""Matting quality of FBA-light against the baselines, in one run, printed as a table.

  /usr/bin/python3 training/evaluate.py --weights training/runs/light/last.pt

Real set: the alphamatting.com images with ground-truth alpha in ../shared/eval/alphamatting (trimap 1 and
trimap 2). Synthetic set: held-out procedural foregrounds (their own seeds) over held-out photographs, with
engine-style and benchmark-style trimaps. Errors are over the trimap's unknown pixels (fba/metrics.py).
Methods:
  trimap (unknown = 0.5)      the trimap itself as alpha
  coarse mask                 the trimap area-averaged to 256 px (long side) and bilinearly upsampled: what
                              an upsampled low-resolution segmentation mask looks like
  guided filter               He et al.'s guided filter (colour guide, r = 8, eps = 1e-3) on the trimap
  FBA-light                   this repository's trained light network
"""
import argparse
import time
from pathlib import Path

import numpy as np
import torch

from fba.baselines import coarse_mask, guided_filter, trimap_as_alpha
from fba.checkpoint import load_weights
from fba.dev_score import EVAL_DIR, real_cases
from fba.infer import predict
from fba.light import FBALight
from fba.metrics import all_errors
from fba.synth.composites import load_foregrounds, make_sample
from fba.synth.photos import load_pool, split_pool

HERE = Path(__file__).resolve().parent
METRICS = ("SAD", "MSE", "Grad", "Conn")


def synthetic_cases(count, engine_fraction, seed, size=320):
    foregrounds = load_foregrounds(HERE / "cache" / "foregrounds_heldout")
    _, photos = split_pool(load_pool(HERE / "cache" / "photos"))
    rng = np.random.default_rng(seed)
    for i in range(count):
        s = make_sample(foregrounds, photos, rng, size, engine_fraction)
        yield f"synth{i:03d}", s["image"].transpose(1, 2, 0), s["alpha"][0].astype(np.float64), s["trimap"][0]


def methods(model):
    return {
        "trimap (unknown = 0.5)": lambda image, trimap: trimap_as_alpha(trimap),
        "coarse mask (256 px, upsampled)": lambda image, trimap: coarse_mask(trimap),
        "guided filter (r 8, eps 1e-3)": lambda image, trimap: guided_filter(image.astype(np.float64), trimap),
        "FBA-light": lambda image, trimap: predict(model, image, trimap)[0],
    }


def score(cases, model):
    sums = {name: {m: [] for m in METRICS} for name in methods(model)}
    seconds = {name: 0.0 for name in sums}
    n = 0
    for _, image, alpha, trimap in cases:
        n += 1
        for name, run in methods(model).items():
            t0 = time.perf_counter()
            pred = run(image, trimap)
            seconds[name] += time.perf_counter() - t0
            for m, v in all_errors(pred, alpha, trimap).items():
                sums[name][m].append(v)
    return {name: {m: float(np.mean(v)) for m, v in per.items()} for name, per in sums.items()}, seconds, n


def table(title, results):
    lines = [f"### {title}", "", "| method | " + " | ".join(f"{t}: SAD / MSE / Grad / Conn" for t in results) + " |",
             "| --- |" + " --- |" * len(results)]
    for name in next(iter(results.values()))[0]:
        cells = []
        for scores, _, _ in results.values():
            s = scores[name]
            cells.append(f"{s['SAD']:.2f} / {s['MSE']:.4f} / {s['Grad']:.3f} / {s['Conn']:.2f}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    counts = ", ".join(f"{t}: {n} images" for t, (_, _, n) in results.items())
    return "\n".join(lines + ["", f"Means over {counts}; SAD, Grad and Conn divided by 1000.", ""])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--weights", default=str(HERE / "runs" / "light" / "last.pt"))
    ap.add_argument("--eval-dir", default=str(EVAL_DIR))
    ap.add_argument("--synthetic", type=int, default=40, help="held-out synthetic composites per trimap kind")
    ap.add_argument("--out", help="also write the tables (markdown) to this file")
    args = ap.parse_args()
    torch.set_num_threads(1)
    model = load_weights(FBALight(), args.weights).eval()

    sections = []
    eval_dir = Path(args.eval_dir)
    if (eval_dir / "image").is_dir():
        real = {label: score(real_cases(eval_dir, folder), model)
                for label, folder in (("trimap 1", "trimap"), ("trimap 2", "trimap2"))}
        sections.append(table(f"Real: alphamatting.com training set ({eval_dir})", real))
        t = real["trimap 1"][1]
        sections.append("Seconds per image (trimap 1 run, 1 thread, PyTorch): "
                        + ", ".join(f"{k} {v / real['trimap 1'][2]:.2f}" for k, v in t.items()) + "\n")
    else:
        sections.append(f"Real set skipped: {eval_dir} not found.\n")
    heldout = HERE / "cache" / "foregrounds_heldout"
    if args.synthetic and not heldout.is_dir():
        sections.append(f"Synthetic set skipped: {heldout} not found (see training/README.md to build it).\n")
    elif args.synthetic:
        synth = {"engine-style trimap": score(synthetic_cases(args.synthetic, 1.0, 7), model),
                 "benchmark-style trimap": score(synthetic_cases(args.synthetic, 0.0, 8), model)}
        sections.append(table("Synthetic held-out (320 x 320 composites, unseen foregrounds and photos)", synth))
    text = f"Weights: {args.weights}\n\n" + "\n".join(sections)
    print(text)
    if args.out:
        Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
