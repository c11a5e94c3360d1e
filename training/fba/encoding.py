"""The FBA network's input encoding, exactly as the reference implementation prepares it.

This file is the Python reference that the engine's TypeScript encoding (src/engine/stages/matter.ts) is
checked against, and the encoding the data generator feeds the network in training.
"""
import numpy as np
from scipy.ndimage import distance_transform_edt

# ImageNet statistics, as the reference normalises RGB in [0, 1].
MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)

# The reference's trimap scale: distances are Gaussian-encoded relative to a 320-pixel image.
L = 320.0
SIGMAS = (0.02 * L, 0.08 * L, 0.16 * L)


def normalise_image(image):
    """image: H x W x 3 float RGB in [0, 1] -> H x W x 3 ImageNet-normalised."""
    return (image - MEAN) / STD


def squared_distance_to(region):
    """Exact squared Euclidean distance from every pixel to the nearest True pixel of `region`."""
    return distance_transform_edt(~region).astype(np.float64) ** 2


def trimap_transform(trimap2):
    """trimap2: H x W x 2 (background, foreground) in {0, 1} -> H x W x 6 Gaussian distance channels.

    A channel pair stays zero when its region is empty, as in the reference.
    """
    h, w = trimap2.shape[:2]
    clicks = np.zeros((h, w, 6), dtype=np.float32)
    for k in range(2):
        region = trimap2[:, :, k] > 0
        if region.any():
            d2 = squared_distance_to(region)
            for j, sigma in enumerate(SIGMAS):
                clicks[:, :, 3 * k + j] = np.exp(-d2 / (2.0 * sigma * sigma))
    return clicks


def two_channel_trimap(trimap):
    """trimap: H x W in {0, 0.5, 1} (or 0/128/255 scaled to [0, 1]) -> H x W x 2 (background, foreground)."""
    out = np.zeros(trimap.shape + (2,), dtype=np.float32)
    out[:, :, 0] = trimap == 0
    out[:, :, 1] = trimap == 1
    return out


def pad_to_multiple(x, multiple=8):
    """Pads H and W (axes 0, 1) at the bottom and right with edge values up to a multiple of `multiple`."""
    h, w = x.shape[:2]
    ph, pw = (-h) % multiple, (-w) % multiple
    pad = [(0, ph), (0, pw)] + [(0, 0)] * (x.ndim - 2)
    return np.pad(x, pad, mode="edge")


def encode(image, trimap):
    """The network's four inputs from an RGB image in [0, 1] (H x W x 3) and a trimap in {0, 0.5, 1} (H x W).

    Both are edge-padded to a multiple of 8 first, so the distance channels see the padded trimap.
    Returns NCHW float32 arrays: image (raw RGB), trimap2 (bg, fg), image_n (normalised), trimap6.
    """
    image = pad_to_multiple(image.astype(np.float32))
    trimap = pad_to_multiple(trimap.astype(np.float32))
    t2 = two_channel_trimap(trimap)

    def nchw(x):
        return np.ascontiguousarray(x.transpose(2, 0, 1)[None].astype(np.float32))

    return {
        "image": nchw(image),
        "trimap2": nchw(t2),
        "image_n": nchw(normalise_image(image)),
        "trimap6": nchw(trimap_transform(t2)),
    }
