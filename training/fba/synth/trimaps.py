"""Trimaps for training: made the way the engine makes them from a segmentation mask (with its typical
errors), or the way matting benchmarks draw them around the true transition. Values 0, 0.5, 1."""
import numpy as np
from scipy.ndimage import distance_transform_edt, gaussian_filter, zoom

UNKNOWN = 0.5


def erode(mask, radius):
    """Pixels of `mask` at least `radius` away from its outside (radius 0: the mask itself)."""
    if radius <= 0 or not mask.any():
        return mask.copy()
    return distance_transform_edt(mask) > radius


def dilate(mask, radius):
    if radius <= 0 or not mask.any():
        return mask.copy()
    return distance_transform_edt(~mask) <= radius


def trimap_from_soft_mask(p, band):
    """The engine's rule: foreground where p > 0.9 (eroded), background where p < 0.1 (after dilating the
    rest), unknown in between; `band` is the erosion/dilation radius in pixels."""
    trimap = np.full(p.shape, UNKNOWN, np.float32)
    trimap[~dilate(p >= 0.1, band)] = 0
    trimap[erode(p > 0.9, band)] = 1
    return trimap


def simulated_segmentation(alpha, rng):
    """A soft person mask as a segmentation network would give it: low resolution (thin parts such as hair
    tips lost), blurred, shifted, too fat or too thin, sometimes with a hole or a false blob, upsampled."""
    h, w = alpha.shape
    factor = rng.uniform(3, 8)
    small = zoom(alpha, 1 / factor, order=1)
    small = gaussian_filter(small, rng.uniform(0.3, 1.2))
    threshold = rng.uniform(0.3, 0.7)
    sharpness = rng.uniform(0.05, 0.2)
    p = 1 / (1 + np.exp(-(small - threshold) / sharpness))
    sy, sx = small.shape
    yy, xx = np.mgrid[0:sy, 0:sx]
    if rng.random() < 0.25:
        cy, cx, r = rng.uniform(0, sy), rng.uniform(0, sx), rng.uniform(1, 4)
        p = p * (1 - np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * r * r)))
    if rng.random() < 0.15:
        cy, cx, r = rng.uniform(0, sy), rng.uniform(0, sx), rng.uniform(1, 4)
        p = np.maximum(p, np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * r * r)))
    p = zoom(p, (h / sy, w / sx), order=1)[:h, :w]
    p = np.pad(p, ((0, h - p.shape[0]), (0, w - p.shape[1])), mode="edge")
    dy, dx = rng.integers(-3, 4, 2)
    p = np.roll(p, (dy, dx), axis=(0, 1))
    return np.clip(p, 0, 1).astype(np.float32)


def engine_like_trimap(alpha, rng):
    band = max(1, round(min(alpha.shape) * rng.uniform(0.01, 0.03)))
    return trimap_from_soft_mask(simulated_segmentation(alpha, rng), band)


def benchmark_like_trimap(alpha, rng):
    """Unknown covers every partial pixel plus a margin, as hand-drawn benchmark trimaps do. The margin
    reaches a tenth of the side: the dev set's worst errors sit deep inside bands that wide, where the
    known background is far from the hair it shows through."""
    partial = (alpha > 0.02) & (alpha < 0.98)
    unknown = dilate(partial, rng.uniform(1, 0.1 * min(alpha.shape)))
    trimap = np.where(alpha >= 0.5, 1.0, 0.0).astype(np.float32)
    trimap[unknown] = UNKNOWN
    return trimap


def random_trimap(alpha, rng, engine_fraction=0.5):
    return engine_like_trimap(alpha, rng) if rng.random() < engine_fraction else benchmark_like_trimap(alpha, rng)
