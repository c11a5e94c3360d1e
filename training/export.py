"""Exports an FBA network to ONNX for the engine (inputs image, trimap2, image_n, trimap6; output `output`
[1, 7, H, W] = alpha, F, B after fusion; dynamic H and W, multiples of 8).

  light, trained:   /usr/bin/python3 training/export.py --weights training/runs/light/last.pt
  full, authors':   /usr/bin/python3 training/export.py --variant full --weights FBA.pth --out models/fba_full.onnx
  random weights:   /usr/bin/python3 training/export.py --variant full --random --seed 0 --out /tmp/fba_full.onnx

With --fixture DIR, also stores the PyTorch output of the same weights on the parity inputs in DIR, so the
ONNX parity test can replay them; exporting the light model to its default path refreshes the committed
fixture, which keeps models/fba_light.onnx and its reference output in step.
"""
import argparse
import sys
from pathlib import Path

import torch

from fba.checkpoint import CheckpointError, describe, load_weights
from fba.full import MattingModule
from fba.light import FBALight
from fba.onnx_export import export_onnx
from fba.parity_fixture import write_output

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = {"light": ROOT / "models" / "fba_light.onnx", "full": ROOT / "models" / "fba_full.onnx"}
LIGHT_FIXTURE = ROOT / "tests" / "fixtures" / "fba-export"
VARIANTS = {"light": FBALight, "full": MattingModule}


def build(variant, weights, random_seed):
    if random_seed is not None:
        torch.manual_seed(random_seed)
    model = VARIANTS[variant]()
    if weights is not None:
        load_weights(model, weights)
    return model.eval()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variant", choices=sorted(VARIANTS), default="light")
    source = ap.add_mutually_exclusive_group(required=True)
    source.add_argument("--weights", help="the authors' FBA.pth (full) or a training checkpoint (light)")
    source.add_argument("--random", action="store_true", help="seeded random weights (for parity tests)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", help="ONNX path (default models/fba_<variant>.onnx)")
    ap.add_argument("--fixture", help="also write the PyTorch output on the parity inputs to this directory")
    args = ap.parse_args(argv)

    out = Path(args.out) if args.out else DEFAULT_OUT[args.variant]
    try:
        model = build(args.variant, args.weights, args.seed if args.random else None)
    except CheckpointError as err:
        print(f"export: {err}", file=sys.stderr)
        return 2
    out.parent.mkdir(parents=True, exist_ok=True)
    export_onnx(model, out)
    fixture = args.fixture or (LIGHT_FIXTURE if args.variant == "light" and out == DEFAULT_OUT["light"] else None)
    if fixture:
        what = f"random, torch.manual_seed({args.seed})" if args.random else describe(args.weights)
        write_output(model, fixture, args.variant, what)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)" + (f"; fixture in {fixture}" if fixture else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
