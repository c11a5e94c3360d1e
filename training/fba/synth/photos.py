"""A pool of real photographs from Debian packages, used as backgrounds and as foreground textures.

Decoding multi-megapixel wallpapers is slow, so each photo is decoded once, downscaled so its short side is
POOL_SHORT_SIDE pixels, and cached as .npy under training/cache/photos/.
"""
from pathlib import Path

import numpy as np
from PIL import Image

POOL_SHORT_SIDE = 512
EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp"}

# Where the photographs come from (package: directory).
SOURCES = {
    "gnome-backgrounds": "/usr/share/backgrounds",
    "plasma-workspace-wallpapers": "/usr/share/wallpapers",
    "opencv-doc": "/usr/share/doc/opencv-doc/examples",
    "python3-skimage": "/usr/lib/python3/dist-packages/skimage/data",
}

# opencv-doc's alphamat sample is an alphamatting.com image, i.e. part of the evaluation set's family.
EXCLUDED_PARTS = {"alphamat"}
MIN_SHORT_SIDE = 200


def _size_of_variant(path):
    """(width, height) of a wallpaper variant from its 'WIDTHxHEIGHT' file name, or None."""
    w, _, h = path.stem.partition("x")
    return (int(w), int(h)) if w.isdigit() and h.isdigit() else None


def candidate_paths(sources=SOURCES):
    """Image files under the sources. A wallpaper ships in several sizes plus a screenshot: keep one
    landscape variant, the one nearest 1920 px wide (enough for the pool, quick to decode)."""
    paths = []
    variants = {}
    for root in sources.values():
        base = Path(root)
        if not base.is_dir():
            continue
        for p in sorted(base.rglob("*")):
            if p.suffix.lower() not in EXTENSIONS or EXCLUDED_PARTS.intersection(p.parts):
                continue
            if p.parent.name == "contents" and p.stem == "screenshot":
                continue
            if p.parent.name == "images" and p.parent.parent.name == "contents":
                variants.setdefault(p.parent.parent.parent, []).append(p)
            else:
                paths.append(p)
    for group in variants.values():
        sized = [(s, p) for p in group if (s := _size_of_variant(p)) and s[0] >= s[1]]
        if sized:
            paths.append(min(sized, key=lambda sp: abs(sp[0][0] - 1920))[1])
    return sorted(paths)


def is_photo_like(rgb):
    """Rejects line art, diagrams and flat images: a photograph has colour and texture almost everywhere."""
    small = rgb[::4, ::4].astype(np.float32)
    gy = np.abs(np.diff(small, axis=0)).mean()
    gx = np.abs(np.diff(small, axis=1)).mean()
    return small.std() > 20 and 2 < (gx + gy) / 2 < 40


def load_downscaled(path, short_side=POOL_SHORT_SIDE):
    with Image.open(path) as im:
        im = im.convert("RGB")
        w, h = im.size
        if min(w, h) < MIN_SHORT_SIDE:
            return None
        scale = short_side / min(w, h)
        if scale < 1:
            im = im.resize((round(w * scale), round(h * scale)), Image.LANCZOS)
        return np.asarray(im, dtype=np.uint8)


def build_cache(cache_dir, log=print):
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    kept = 0
    for i, path in enumerate(candidate_paths()):
        target = cache_dir / f"{i:05d}.npy"
        if target.exists():
            kept += 1
            continue
        try:
            rgb = load_downscaled(path)
        except (OSError, ValueError) as err:
            log(f"skip {path}: {err}")
            continue
        if rgb is not None and is_photo_like(rgb):
            np.save(target, rgb)
            kept += 1
    log(f"photo pool: {kept} images in {cache_dir}")
    return kept


def load_pool(cache_dir):
    files = sorted(Path(cache_dir).glob("*.npy"))
    if not files:
        raise FileNotFoundError(f"no photos cached in {cache_dir}; run training/build_photo_cache.py first")
    return [np.load(f) for f in files]


HELDOUT_EVERY = 10


def split_pool(pool):
    """(training, held-out) photos: every HELDOUT_EVERY-th photo only ever serves the held-out synthetic set."""
    train = [p for i, p in enumerate(pool) if i % HELDOUT_EVERY != 0]
    heldout = [p for i, p in enumerate(pool) if i % HELDOUT_EVERY == 0]
    return train, heldout
