"""Samples the engine itself made (scripts/engine-training-samples.ts): a keyed real person composited
over a photograph as a webcam frames one, then cut and scaled by the engine's own segmentation, plan and
matte request, so the image, its scale and its trimap are what FBA-light is given in the app.

Each PNG stacks four equal blocks: the engine's input image (trimap 0/128/255 in A), the noise-free
composite (true alpha in A), the true foreground colour and the true background colour."""
from pathlib import Path

import numpy as np
from PIL import Image

from ..encoding import normalise_image, trimap_transform, two_channel_trimap

BLOCKS = 4
# Every sample is cut or edge-padded to this square: Balanced's crops (320 x 192 pixels' worth) fit whole.
CANVAS = 320


def sample_files(directory):
    files = sorted(Path(directory).glob("*.png"))
    if not files:
        raise FileNotFoundError(f"no engine-made samples in {directory}; run `npx tsx scripts/engine-training-samples.ts` first")
    return files


def read_sample(path):
    """Dict of H x W (x 3) float32 arrays in [0, 1]: image, trimap (0, 0.5, 1), clean, alpha, fg, bg."""
    with Image.open(path) as im:
        rgba = np.asarray(im.convert("RGBA"), dtype=np.float32) / 255
    if rgba.shape[0] % BLOCKS:
        raise ValueError(f"{path}: height {rgba.shape[0]} is not {BLOCKS} stacked blocks")
    h = rgba.shape[0] // BLOCKS
    block = [rgba[k * h:(k + 1) * h] for k in range(BLOCKS)]
    t = block[0][..., 3]
    trimap = np.where(t == 0, 0.0, np.where(t == 1, 1.0, 0.5)).astype(np.float32)
    return {"image": block[0][..., :3], "trimap": trimap, "clean": block[1][..., :3], "alpha": block[1][..., 3],
            "fg": block[2][..., :3], "bg": block[3][..., :3]}


def fit_canvas(arrays, size, rng):
    """Every array cut to at most size x size (a random window where larger) and edge-padded to exactly
    that: the crop's own border continues, so no false edge or trimap region is made. Flipped at random."""
    h, w = arrays["alpha"].shape
    y = int(rng.integers(0, h - size + 1)) if h > size else 0
    x = int(rng.integers(0, w - size + 1)) if w > size else 0
    flip = rng.random() < 0.5
    out = {}
    for k, v in arrays.items():
        v = v[y:y + size, x:x + size]
        if flip:
            v = v[:, ::-1]
        pad = ((0, size - v.shape[0]), (0, size - v.shape[1])) + (((0, 0),) if v.ndim == 3 else ())
        out[k] = np.pad(v, pad, mode="edge")
    return out


def engine_sample(files, rng, size=CANVAS):
    """One engine-made sample as make_sample gives a synthetic one: network inputs (CHW) and ground truth."""
    s = fit_canvas(read_sample(files[rng.integers(len(files))]), size, rng)
    t2 = two_channel_trimap(s["trimap"])

    def chw(x):
        return np.ascontiguousarray(x.transpose(2, 0, 1), dtype=np.float32)

    return {
        "image": chw(s["image"]), "trimap2": chw(t2), "image_n": chw(normalise_image(s["image"])),
        "trimap6": chw(trimap_transform(t2)), "trimap": s["trimap"][None].astype(np.float32),
        "alpha": s["alpha"][None].astype(np.float32), "fg": chw(s["fg"]), "bg": chw(s["bg"]), "clean": chw(s["clean"]),
    }
