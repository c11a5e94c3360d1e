"""Real foregrounds: frames of real people on an even screen, chroma-keyed by scripts/key-training-clips.ts
into straight-colour RGBA PNGs (one folder per clip, with the keyer's stats.json beside them)."""
from pathlib import Path

import numpy as np
from PIL import Image


def load_keyed(directory):
    """[(alpha HxW, colour HxWx3)] float32 in [0, 1], the same shape as the procedural pool's entries."""
    files = sorted(Path(directory).glob("*/*.png"))
    if not files:
        raise FileNotFoundError(f"no keyed frames in {directory}; run `npx tsx scripts/key-training-clips.ts` first")
    out = []
    for f in files:
        with Image.open(f) as im:
            rgba = np.asarray(im.convert("RGBA"), dtype=np.float32) / 255
        out.append((np.ascontiguousarray(rgba[..., 3]), np.ascontiguousarray(rgba[..., :3])))
    return out
