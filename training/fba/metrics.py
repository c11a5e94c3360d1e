"""The matting errors of Rhemann et al. (CVPR 2009) as the FBA paper reports them, over the trimap's unknown
pixels, alpha in [0, 1]: SAD and connectivity divided by 1000, MSE as a mean, gradient error divided by 1000."""
import numpy as np
from scipy.ndimage import gaussian_filter, label

GRADIENT_SIGMA = 1.4
CONNECTIVITY_STEP = 0.1
CONNECTIVITY_MIN_DEVIATION = 0.15


def unknown_region(trimap):
    """trimap in {0, 0.5, 1} (or 0/128/255 read as /255) -> boolean unknown mask."""
    return (trimap > 0.25) & (trimap < 0.75)


def sad(pred, gt, unknown):
    return np.abs(pred - gt)[unknown].sum() / 1000


def mse(pred, gt, unknown):
    n = unknown.sum()
    return float(((pred - gt) ** 2)[unknown].sum() / n) if n else 0.0


def gradient_magnitude(alpha, sigma=GRADIENT_SIGMA):
    gx = gaussian_filter(alpha, sigma, order=(0, 1))
    gy = gaussian_filter(alpha, sigma, order=(1, 0))
    return np.sqrt(gx * gx + gy * gy)


def gradient_error(pred, gt, unknown):
    """Squared difference of Gaussian-derivative gradient magnitudes (sigma 1.4), summed, / 1000."""
    d = gradient_magnitude(pred.astype(np.float64)) - gradient_magnitude(gt.astype(np.float64))
    return (d * d)[unknown].sum() / 1000


def largest_component(mask):
    labels, n = label(mask)  # 4-connectivity, as in the benchmark's code
    if n == 0:
        return np.zeros_like(mask)
    sizes = np.bincount(labels.ravel())[1:]
    return labels == (np.argmax(sizes) + 1)


def connectivity_error(pred, gt, unknown, step=CONNECTIVITY_STEP):
    """For each pixel, the threshold at which it leaves the largest component connected to the source in
    both mattes (l); a pixel's degree of connectivity is 1 - (alpha - l) where alpha - l >= 0.15, else 1."""
    thresholds = np.arange(0, 1 + step / 2, step)
    level = np.full(pred.shape, -1.0)
    for prev, t in zip(thresholds[:-1], thresholds[1:]):
        omega = largest_component((pred >= t) & (gt >= t))
        level[(level == -1) & ~omega] = prev
    level[level == -1] = 1.0
    dp, dg = pred - level, gt - level
    phi_p = 1 - dp * (dp >= CONNECTIVITY_MIN_DEVIATION)
    phi_g = 1 - dg * (dg >= CONNECTIVITY_MIN_DEVIATION)
    return np.abs(phi_p - phi_g)[unknown].sum() / 1000


def all_errors(pred, gt, trimap):
    """{'SAD', 'MSE', 'Grad', 'Conn'} for one image."""
    unknown = unknown_region(trimap)
    pred = np.clip(pred.astype(np.float64), 0, 1)
    gt = gt.astype(np.float64)
    return {"SAD": sad(pred, gt, unknown), "MSE": mse(pred, gt, unknown),
            "Grad": gradient_error(pred, gt, unknown), "Conn": connectivity_error(pred, gt, unknown)}
