"""What matting is compared against: the trimap or a coarse mask as alpha, and the guided filter on it."""
import numpy as np
from PIL import Image
from scipy.ndimage import uniform_filter


def box(x, r):
    return uniform_filter(x, size=2 * r + 1, mode="reflect")


def guided_filter(guide, p, r=8, eps=1e-3):
    """He et al.'s guided filter with a colour guide (H x W x 3 in [0, 1]) on a single-channel input p."""
    mean_i = np.stack([box(guide[..., c], r) for c in range(3)], -1)
    mean_p = box(p, r)
    cov_ip = np.stack([box(guide[..., c] * p, r) for c in range(3)], -1) - mean_i * mean_p[..., None]
    var = np.empty(guide.shape[:2] + (3, 3))
    for a in range(3):
        for b in range(3):
            var[..., a, b] = box(guide[..., a] * guide[..., b], r) - mean_i[..., a] * mean_i[..., b]
    var += eps * np.eye(3)
    coef = np.linalg.solve(var, cov_ip[..., None])[..., 0]
    offset = mean_p - (coef * mean_i).sum(-1)
    mean_coef = np.stack([box(coef[..., c], r) for c in range(3)], -1)
    return np.clip((mean_coef * guide).sum(-1) + box(offset, r), 0, 1)


def trimap_as_alpha(trimap):
    """The trimap itself, unknown = 0.5."""
    return trimap.astype(np.float64)


def coarse_mask(trimap, long_side=256):
    """A soft mask as the engine gets it from a low-resolution segmentation: the trimap area-averaged down to
    a segmentation model's resolution, then bilinearly upsampled back."""
    h, w = trimap.shape
    f = long_side / max(h, w)
    small = Image.fromarray(trimap.astype(np.float32), mode="F").resize((round(w * f), round(h * f)), Image.BOX)
    return np.clip(np.asarray(small.resize((w, h), Image.BILINEAR), dtype=np.float64), 0, 1)
