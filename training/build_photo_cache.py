"""Decodes and downscales the photo pool into training/cache/photos/ (run once before training)."""
import argparse
from pathlib import Path

from fba.synth.photos import build_cache

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default=str(HERE / "cache" / "photos"))
    build_cache(ap.parse_args().out)
