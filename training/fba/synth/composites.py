"""Training samples: an augmented procedural foreground over an augmented real photograph, with exact
alpha, F and B, a trimap, and the network's encoded inputs."""
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from scipy.ndimage import gaussian_filter

from ..encoding import normalise_image, trimap_transform, two_channel_trimap
from .trimaps import random_trimap


def load_foregrounds(directory):
    files = sorted(f for f in Path(directory).glob("*.npz") if not f.name.endswith(".tmp.npz"))
    if not files:
        raise FileNotFoundError(f"no foregrounds in {directory}; run training/build_foreground_pool.py first")
    out = []
    for f in files:
        with np.load(f) as z:
            out.append((z["alpha"].astype(np.float32) / 65535, z["colour"].astype(np.float32) / 255))
    return out


def resize(x, size):
    """H x W (x C) float in [0, 1] -> size x size, bilinear with antialiasing: a strand shrunk below a pixel
    keeps its coverage instead of breaking into dashes, and torch does it several times faster than scipy."""
    t = torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))
    t = t[None, None] if x.ndim == 2 else t.permute(2, 0, 1)[None]
    y = F.interpolate(t, (size, size), mode="bilinear", antialias=True, align_corners=False)[0]
    y = y[0] if x.ndim == 2 else y.permute(1, 2, 0)
    return np.clip(y.numpy(), 0, 1)


def colour_jitter(rgb, rng, strength=1.0):
    """Gain, gamma and saturation changes: cameras and lighting differ."""
    gain = rng.uniform(1 - 0.25 * strength, 1 + 0.25 * strength, 3).astype(np.float32)
    gamma = rng.uniform(1 - 0.3 * strength, 1 + 0.3 * strength)
    out = np.clip(rgb * gain, 0, 1) ** gamma
    grey = out.mean(axis=2, keepdims=True)
    sat = rng.uniform(1 - 0.5 * strength, 1 + 0.3 * strength)
    return np.clip(grey + (out - grey) * sat, 0, 1).astype(np.float32)


def augmented_foreground(fg, rng, size):
    """A random window of a pool foreground, flipped, resized to size x size; retries to include an edge."""
    alpha, colour = fg
    n = alpha.shape[0]
    for _ in range(6):
        c = int(rng.uniform(0.45, 1.0) * n)
        y, x = rng.integers(0, n - c + 1), rng.integers(0, n - c + 1)
        a = alpha[y:y + c, x:x + c]
        if ((a > 0.02) & (a < 0.98)).mean() > 0.01:
            break
    f = colour[y:y + c, x:x + c]
    if rng.random() < 0.5:
        a, f = a[:, ::-1], f[:, ::-1]
    if rng.random() < 0.15:
        k = int(rng.integers(1, 4))
        a, f = np.rot90(a, k), np.rot90(f, k)
    return resize(np.ascontiguousarray(a), size), colour_jitter(resize(np.ascontiguousarray(f), size), rng)


def background(photos, rng, size):
    photo = photos[rng.integers(len(photos))]
    h, w = photo.shape[:2]
    c = int(min(h, w) * rng.uniform(0.3, 1.0))
    y, x = rng.integers(0, h - c + 1), rng.integers(0, w - c + 1)
    b = resize(photo[y:y + c, x:x + c].astype(np.float32) / 255, size)
    if rng.random() < 0.5:
        b = b[:, ::-1]
    if rng.random() < 0.3:
        b = gaussian_filter(b, (rng.uniform(1, 4), rng.uniform(1, 4), 0))
    return colour_jitter(np.ascontiguousarray(b), rng)


def zoomed_out(alpha, fg, rng, size):
    """The foreground shrunk to 35-80 % of the side and placed at random on an empty canvas, its colour
    edge-extended: the scale of a person in the live path, whose whole crop is matted at 320 x 192."""
    side = int(size * rng.uniform(0.35, 0.8))
    a, f = resize(alpha, side), resize(fg, side)
    y, x = rng.integers(0, size - side + 1), rng.integers(0, size - side + 1)
    out_a = np.zeros((size, size), np.float32)
    out_a[y:y + side, x:x + side] = a
    pad = ((y, size - side - y), (x, size - side - x), (0, 0))
    return out_a, np.pad(f, pad, mode="edge")


def make_sample(foregrounds, photos, rng, size=192, engine_fraction=0.5, zoom_out=0.0):
    """Dict of float32 arrays: network inputs (CHW) and ground truth (alpha 1HW, fg, bg, clean image 3HW).
    A share `zoom_out` of the foregrounds is shrunk into the crop (`zoomed_out`)."""
    alpha, fg = augmented_foreground(foregrounds[rng.integers(len(foregrounds))], rng, size)
    if rng.random() < zoom_out:
        alpha, fg = zoomed_out(alpha, fg, rng, size)
    bg = background(photos, rng, size)
    clean = alpha[..., None] * fg + (1 - alpha[..., None]) * bg
    noisy = np.clip(clean + rng.normal(0, rng.uniform(0, 0.03), clean.shape), 0, 1).astype(np.float32)
    trimap = random_trimap(alpha, rng, engine_fraction)
    t2 = two_channel_trimap(trimap)

    def chw(x):
        return np.ascontiguousarray(x.transpose(2, 0, 1), dtype=np.float32)

    return {
        "image": chw(noisy), "trimap2": chw(t2), "image_n": chw(normalise_image(noisy)),
        "trimap6": chw(trimap_transform(t2)), "trimap": trimap[None].astype(np.float32),
        "alpha": alpha[None].astype(np.float32), "fg": chw(fg), "bg": chw(bg), "clean": chw(clean),
    }
