"""Exports FBA-light capacity variants with random weights, for timing side by side in onnxruntime-node:

  /usr/bin/python3 training/capacity.py --out .cache/capacity
  npx tsx bench/fba-speed.ts .cache/capacity/*.onnx --threads 2 --runs 60

Speed does not depend on the weights, so random ones time the same as trained ones.
"""
import argparse
from pathlib import Path

import torch

from fba.light import SMALL_DILATIONS, FBALight
from fba.onnx_export import export_onnx

VARIANTS = {
    "a-small": {"dilations": SMALL_DILATIONS},
    "b-deeper8": {},
    "c-wider": {"widths": (24, 32, 64), "ppm_out": 64},
    "d-wider-full-res": {"d2": 16, "d1": 24},
    "e-wider-deeper": {"widths": (24, 32, 64), "ppm_out": 64, "dilations": (2, 4, 8, 1, 2, 4)},
}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=".cache/capacity")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, knobs in VARIANTS.items():
        torch.manual_seed(0)
        model = FBALight(**knobs)
        params = sum(p.numel() for p in model.parameters())
        export_onnx(model, out / f"{name}.onnx")
        print(f"{name}: {params / 1000:.0f} k parameters {knobs}")


if __name__ == "__main__":
    main()
