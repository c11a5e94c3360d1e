"""Procedural foregrounds with exact alpha: person-shaped silhouettes, hair and fur strands, thin structures,
semi-transparent cloth, motion-blurred and defocused edges.

Geometry is drawn on a canvas SUPERSAMPLE times finer than the output and box-averaged down, so alpha is the
true fractional coverage of each pixel (a strand thinner than a pixel gets alpha < 1). Layers are combined
with the premultiplied "over" operator, so alpha and foreground colour stay consistent with I = aF + (1-a)B.
"""
import numpy as np
from scipy.ndimage import gaussian_filter, convolve, zoom

SUPERSAMPLE = 4

HAIR_COLOURS = np.array([
    [0.05, 0.04, 0.03], [0.15, 0.10, 0.06], [0.35, 0.22, 0.12], [0.60, 0.45, 0.25], [0.85, 0.75, 0.50],
    [0.55, 0.20, 0.08], [0.70, 0.70, 0.70], [0.95, 0.95, 0.92], [0.30, 0.30, 0.32],
], dtype=np.float32)


class Layer:
    """Premultiplied RGBA layer at output resolution."""

    def __init__(self, alpha, colour):
        self.alpha = alpha.astype(np.float32)
        self.premult = (colour * alpha[..., None]).astype(np.float32)


def over(top, bottom):
    """Porter-Duff 'over' of two premultiplied layers."""
    a = top.alpha + bottom.alpha * (1 - top.alpha)
    out = Layer(np.zeros_like(a), np.zeros(a.shape + (3,), np.float32))
    out.alpha = a
    out.premult = top.premult + bottom.premult * (1 - top.alpha[..., None])
    return out


def downsample(hi, factor=SUPERSAMPLE):
    """Box-average a supersampled canvas (H*f x W*f [x C]) to H x W: exact area coverage."""
    h, w = hi.shape[0] // factor, hi.shape[1] // factor
    return hi.reshape(h, factor, w, factor, *hi.shape[2:]).mean(axis=(1, 3))


def hires_grid(size, factor=SUPERSAMPLE):
    """Sample-centre coordinates of the supersampled canvas, in output-pixel units."""
    c = (np.arange(size * factor, dtype=np.float32) + 0.5) / factor
    return c[None, :], c[:, None]


def texture(rng, photos, size):
    """A foreground texture: a random crop of a real photograph, optionally recoloured."""
    photo = photos[rng.integers(len(photos))]
    h, w = photo.shape[:2]
    s = min(h, w, int(size * rng.uniform(0.6, 1.5)))
    y, x = rng.integers(0, h - s + 1), rng.integers(0, w - s + 1)
    crop = photo[y:y + s, x:x + s].astype(np.float32) / 255
    crop = zoom(crop, (size / s, size / s, 1), order=1)[:size, :size]
    if rng.random() < 0.3:
        crop = crop * rng.uniform(0.5, 1.3, 3).astype(np.float32)
    return np.clip(crop, 0, 1)


def rasterise_strands(size, strands, rng, factor=SUPERSAMPLE):
    """Draws polylines (points in output-pixel units, width in output pixels, RGB) into one layer."""
    n = size * factor
    cov = np.zeros((n, n), np.float32)
    col = np.zeros((n, n, 3), np.float32)
    for points, width, colour in strands:
        seg = np.diff(points, axis=0)
        steps = np.maximum(1, (np.hypot(seg[:, 0], seg[:, 1]) * factor * 2).astype(int))
        t = np.concatenate([np.arange(k) / k for k in steps])
        base = np.repeat(points[:-1], steps, axis=0) + np.repeat(seg, steps, axis=0) * t[:, None]
        # Strands taper toward the tip, as hair and fur do.
        taper = np.linspace(1.0, rng.uniform(0.2, 0.8), len(base))
        r_hi = np.maximum(0.5, width * factor * taper / 2)
        rmax = int(np.ceil(r_hi.max()))
        oy, ox = np.mgrid[-rmax:rmax + 1, -rmax:rmax + 1]
        for bucket in np.unique(np.ceil(r_hi * 2) / 2):
            sel = np.ceil(r_hi * 2) / 2 == bucket
            disk = (oy ** 2 + ox ** 2) <= bucket ** 2
            py = (base[sel, 1] * factor).astype(int)[:, None] + oy[disk][None, :]
            px = (base[sel, 0] * factor).astype(int)[:, None] + ox[disk][None, :]
            ok = (py >= 0) & (py < n) & (px >= 0) & (px < n)
            cov[py[ok], px[ok]] = 1
            col[py[ok], px[ok]] = colour
    alpha = downsample(cov, factor)
    colour = downsample(col * cov[..., None], factor) / np.maximum(alpha[..., None], 1e-6)
    return Layer(alpha, np.clip(colour, 0, 1))


def random_curve(rng, start, direction, length, curl, step=1.0):
    """A smooth random walk: the heading drifts, giving the gentle curves of hair."""
    n = max(2, int(length / step))
    turn = np.cumsum(rng.normal(0, curl, n)) + rng.normal(0, curl * 3)
    heading = direction + np.cumsum(turn) * step / max(length, 1) * 4
    pts = np.cumsum(np.stack([np.cos(heading), np.sin(heading)], 1) * step, axis=0)
    return np.vstack([start, start + pts]).astype(np.float32)


def hair_strands(rng, anchors, normals, count, length, width, colour, curl, droop):
    """Strands rooted at anchors, leaving along the outward normal and bending downward by `droop`."""
    strands = []
    idx = rng.integers(0, len(anchors), count)
    for i in idx:
        nx, ny = normals[i]
        angle = np.arctan2(ny, nx)
        angle = angle + droop * (np.pi / 2 - angle) * rng.uniform(0.3, 1.0) + rng.normal(0, 0.25)
        L = length * rng.uniform(0.3, 1.0)
        c = np.clip(colour * rng.uniform(0.75, 1.25) + rng.normal(0, 0.03, 3), 0, 1)
        strands.append((random_curve(rng, anchors[i], angle, L, curl), width * rng.uniform(0.4, 1.3), c))
    return strands


def boundary_of(mask, step=2):
    """Points on a boolean mask's edge (output-pixel units) and outward unit normals from a smoothed mask."""
    smooth = gaussian_filter(mask.astype(np.float32), 2.0)
    gy, gx = np.gradient(smooth)
    edge = (smooth > 0.3) & (smooth < 0.7)
    ys, xs = np.nonzero(edge)
    if len(ys) == 0:
        return np.zeros((0, 2), np.float32), np.zeros((0, 2), np.float32)
    keep = slice(None, None, step)
    ys, xs = ys[keep], xs[keep]
    n = -np.stack([gx[ys, xs], gy[ys, xs]], 1)
    n /= np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-6)
    return np.stack([xs, ys], 1).astype(np.float32) + 0.5, n.astype(np.float32)


def person_silhouette(rng, size, factor=SUPERSAMPLE):
    """Head, neck and shoulders (boolean, supersampled), plus the head's centre and radii."""
    X, Y = hires_grid(size, factor)
    s = size * rng.uniform(0.7, 1.1)
    cx = size * rng.uniform(0.35, 0.65)
    cy = size * rng.uniform(0.25, 0.45)
    ra, rb = s * rng.uniform(0.13, 0.17), s * rng.uniform(0.17, 0.21)
    tilt = rng.normal(0, 0.15)
    xr = (X - cx) * np.cos(tilt) + (Y - cy) * np.sin(tilt)
    yr = -(X - cx) * np.sin(tilt) + (Y - cy) * np.cos(tilt)
    head = (xr / ra) ** 2 + (yr / rb) ** 2 <= 1
    neck_w = ra * rng.uniform(0.55, 0.75)
    neck = (np.abs(X - cx) <= neck_w) & (Y >= cy) & (Y <= cy + rb * 1.6)
    sh_y = cy + rb * rng.uniform(1.3, 1.7)
    sh_w = s * rng.uniform(0.38, 0.5)
    p = rng.uniform(2.5, 4.0)
    shoulders = (np.abs((X - cx) / sh_w) ** p + np.abs((Y - sh_y - s) / (s * 1.0)) ** p) <= 1
    return head | neck | shoulders, (cx, cy, ra, rb)


def blob_mask(rng, size, factor=SUPERSAMPLE):
    """A random smooth blob (a toy, a plant's outline), supersampled."""
    coarse = gaussian_filter(rng.normal(0, 1, (24, 24)), rng.uniform(2, 4))
    yy, xx = np.mgrid[0:24, 0:24]
    coarse += 2.5 * (1 - ((xx - 11.5) ** 2 + (yy - 11.5) ** 2) / 90) * coarse.std()
    hi = zoom(coarse, size * factor / 24, order=1)
    return hi > np.quantile(hi, rng.uniform(0.55, 0.8))


def cloth_layer(rng, size, colour_tex):
    """Semi-transparent fabric: alpha 0.2-0.85 modulated by a weave and soft folds."""
    mask = downsample(blob_mask(rng, size).astype(np.float32))
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    period, ang = rng.uniform(2, 6), rng.uniform(0, np.pi)
    weave = 0.5 + 0.5 * np.sin((xx * np.cos(ang) + yy * np.sin(ang)) * 2 * np.pi / period)
    folds = gaussian_filter(rng.normal(0, 1, (size, size)), 12)
    folds = (folds - folds.min()) / (np.ptp(folds) + 1e-6)
    base = rng.uniform(0.2, 0.7)
    alpha = np.clip(base + 0.15 * weave + 0.25 * (folds - 0.5), 0.05, 0.95) * mask
    return Layer(alpha.astype(np.float32), colour_tex)


def branches(rng, size, count, colour):
    """Thin rigid structures: twigs, wires, glasses frames; 0.5-3 px wide."""
    strands = []
    for _ in range(count):
        start = rng.uniform(0, size, 2)
        angle = rng.uniform(0, 2 * np.pi)
        pts = random_curve(rng, start, angle, rng.uniform(20, size), curl=0.02, step=2.0)
        strands.append((pts, rng.uniform(0.5, 3.0), np.clip(colour + rng.normal(0, 0.05, 3), 0, 1)))
    return strands


def motion_blur(layer, rng):
    """Blurs premultiplied colour and alpha together, exactly as a moving object integrates over exposure."""
    length = int(rng.integers(3, 14))
    angle = rng.uniform(0, np.pi)
    k = np.zeros((length * 2 + 1,) * 2, np.float32)
    for t in np.linspace(-length, length, 4 * length):
        k[int(round(length + t * np.sin(angle))), int(round(length + t * np.cos(angle)))] = 1
    k /= k.sum()
    out = Layer(np.zeros_like(layer.alpha), np.zeros(layer.alpha.shape + (3,), np.float32))
    out.alpha = convolve(layer.alpha, k, mode="constant")
    out.premult = np.stack([convolve(layer.premult[..., c], k, mode="constant") for c in range(3)], -1)
    return out


def defocus(layer, rng):
    sigma = rng.uniform(0.7, 3.0)
    out = Layer(np.zeros_like(layer.alpha), np.zeros(layer.alpha.shape + (3,), np.float32))
    out.alpha = gaussian_filter(layer.alpha, sigma)
    out.premult = gaussian_filter(layer.premult, (sigma, sigma, 0))
    return out


def solid_layer(mask_hi, colour):
    return Layer(downsample(mask_hi.astype(np.float32)), colour)


def make_foreground(rng, photos, size=320):
    """One foreground: (alpha H x W, colour H x W x 3), both float32 in [0, 1]."""
    kind = rng.choice(["person", "person", "furry", "plant"])
    body_tex = texture(rng, photos, size)
    hair_colour = HAIR_COLOURS[rng.integers(len(HAIR_COLOURS))]
    if kind == "person":
        mask_hi, (cx, cy, ra, rb) = person_silhouette(rng, size)
        layer = solid_layer(mask_hi, body_tex)
        if rng.random() < 0.35:
            layer = over(cloth_layer(rng, size, texture(rng, photos, size)), layer)
        head = np.zeros((size, size), bool)
        yy, xx = np.mgrid[0:size, 0:size]
        head[((xx - cx) / (ra * 1.05)) ** 2 + ((yy - cy) / (rb * 1.05)) ** 2 <= 1] = True
        anchors, normals = boundary_of(head)
        upper = anchors[:, 1] < cy + rb * rng.uniform(0.0, 0.8)
        anchors, normals = anchors[upper], normals[upper]
        if len(anchors):
            hair_base = solid_layer(np.repeat(np.repeat(head, SUPERSAMPLE, 0), SUPERSAMPLE, 1)
                                    & (hires_grid(size)[1] < cy + rb * 0.2), np.broadcast_to(hair_colour, (size, size, 3)))
            layer = over(hair_base, layer)
            strands = hair_strands(rng, anchors, normals, int(rng.integers(150, 900)),
                                   length=rb * rng.uniform(0.4, 2.5), width=rng.uniform(0.25, 1.2),
                                   colour=hair_colour, curl=rng.uniform(0.01, 0.2), droop=rng.uniform(0.2, 0.9))
            layer = over(rasterise_strands(size, strands, rng), layer)
    else:
        mask_hi = blob_mask(rng, size)
        layer = solid_layer(mask_hi, body_tex)
        anchors, normals = boundary_of(downsample(mask_hi.astype(np.float32)) > 0.5)
        if kind == "furry" and len(anchors):
            fur = body_tex.mean(axis=(0, 1)) * rng.uniform(0.7, 1.3)
            strands = hair_strands(rng, anchors, normals, int(rng.integers(400, 2000)),
                                   length=rng.uniform(4, 30), width=rng.uniform(0.2, 1.0),
                                   colour=np.clip(fur, 0, 1), curl=rng.uniform(0.05, 0.3), droop=rng.uniform(0, 0.4))
            layer = over(rasterise_strands(size, strands, rng), layer)
        else:
            colour = np.clip(body_tex.mean(axis=(0, 1)) * rng.uniform(0.5, 1.2, 3), 0, 1)
            layer = over(rasterise_strands(size, branches(rng, size, int(rng.integers(3, 25)), colour), rng), layer)
    if rng.random() < 0.2:
        layer = motion_blur(layer, rng)
    elif rng.random() < 0.2:
        layer = defocus(layer, rng)
    alpha = np.clip(layer.alpha, 0, 1)
    colour = np.clip(layer.premult / np.maximum(alpha[..., None], 1e-6), 0, 1)
    # Where alpha is 0, F is undefined; give it the nearest colour-ish value (a blur) so it is not black.
    fill = gaussian_filter(layer.premult, (8, 8, 0)) / np.maximum(gaussian_filter(alpha, 8)[..., None], 1e-6)
    colour = np.where(alpha[..., None] > 1e-4, colour, np.clip(fill, 0, 1))
    return alpha.astype(np.float32), colour.astype(np.float32)
