"""Generates the pool of procedural foregrounds (alpha + colour) into training/cache/foregrounds/.

Each foreground costs about a second to draw, too slow to make per training sample; the trainer instead
augments a fixed pool (flips, rotations, scale, crop, colour) and composites it over fresh backgrounds.
"""
import argparse
from pathlib import Path

import numpy as np

from fba.synth.composites import load_foregrounds
from fba.synth.foregrounds import make_foreground
from fba.synth.photos import load_pool

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--count", type=int, default=600)
    ap.add_argument("--seed", type=int, default=0, help="pool i uses seed + i, so runs can extend a pool")
    ap.add_argument("--photos", default=str(HERE / "cache" / "photos"))
    ap.add_argument("--out", default=str(HERE / "cache" / "foregrounds"))
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    photos = load_pool(args.photos)
    for i in range(args.count):
        target = out / f"{args.seed + i:05d}.npz"
        if target.exists():
            continue
        alpha, colour = make_foreground(np.random.default_rng(args.seed + i), photos)
        tmp = target.with_suffix(".tmp.npz")
        np.savez(tmp, alpha=(alpha * 65535).round().astype(np.uint16), colour=(colour * 255).round().astype(np.uint8))
        tmp.rename(target)
    print(f"foreground pool: {len(load_foregrounds(out))} in {out}")
