"""The FBA paper's training losses (Forte & Pitie 2020, section 4), weighted toward the trimap's unknown region.

Alpha: L1, compositional, gradient and Laplacian-pyramid terms. F and B: L1, compositional and Laplacian
terms, plus the exclusion term that discourages F and B from sharing edges.
"""
import torch
import torch.nn.functional as F

# Known-region pixels still count a little: the engine's trimaps are sometimes wrong there.
KNOWN_WEIGHT = 0.2
LAPLACIAN_LEVELS = 5

_GAUSS = torch.tensor([1.0, 4.0, 6.0, 4.0, 1.0]) / 16.0
_GAUSS2D = (_GAUSS[:, None] * _GAUSS[None, :])[None, None]


def region_weight(trimap, known_weight=KNOWN_WEIGHT):
    """1 in the unknown band (trimap 0.5), `known_weight` (a number, or one per sample, N x 1 x 1 x 1)
    elsewhere."""
    unknown = (torch.abs(trimap - 0.5) < 0.25).float()
    return unknown + known_weight * (1 - unknown)


def weighted_mean(value, weight):
    """Mean of value (N,C,H,W) under weight (N,1,H,W), normalised per channel count."""
    return (value * weight).sum() / (weight.sum() * value.shape[1] + 1e-8)


def _blur(x):
    k = _GAUSS2D.to(x).expand(x.shape[1], 1, 5, 5)
    return F.conv2d(F.pad(x, (2, 2, 2, 2), mode="reflect"), k, groups=x.shape[1])


def laplacian_pyramid(x, levels=LAPLACIAN_LEVELS):
    """Band-pass levels, finest first (the low-pass residual is left out: L1 already covers it)."""
    bands = []
    for _ in range(levels):
        low = _blur(x)
        down = low[:, :, ::2, ::2]
        up = F.interpolate(down, size=x.shape[2:], mode="bilinear", align_corners=False)
        bands.append(x - up)
        x = down
    return bands


def laplacian_loss(pred, target, weight):
    """sum_i 2^i * weighted L1 of pyramid level i, as in the paper (coarser levels weigh more)."""
    total = 0.0
    w = weight
    for i, (p, t) in enumerate(zip(laplacian_pyramid(pred), laplacian_pyramid(target))):
        if w.shape[2:] != p.shape[2:]:
            w = F.adaptive_avg_pool2d(weight, p.shape[2:])
        total = total + (2 ** i) * weighted_mean(torch.abs(p - t), w)
    return total


def image_gradients(x):
    gx = x[:, :, :, 1:] - x[:, :, :, :-1]
    gy = x[:, :, 1:, :] - x[:, :, :-1, :]
    return gx, gy


def gradient_loss(pred, target, weight):
    pgx, pgy = image_gradients(pred)
    tgx, tgy = image_gradients(target)
    return (weighted_mean(torch.abs(pgx - tgx), weight[:, :, :, 1:])
            + weighted_mean(torch.abs(pgy - tgy), weight[:, :, 1:, :]))


def exclusion_loss(fg, bg, weight, levels=3):
    """Zhang et al. 2018's exclusion term: F and B should not both have an edge at the same place."""
    total = 0.0
    for _ in range(levels):
        fgx, fgy = image_gradients(fg)
        bgx, bgy = image_gradients(bg)
        total = total + weighted_mean(torch.tanh(torch.abs(fgx)) * torch.tanh(torch.abs(bgx)), weight[:, :, :, 1:])
        total = total + weighted_mean(torch.tanh(torch.abs(fgy)) * torch.tanh(torch.abs(bgy)), weight[:, :, 1:, :])
        fg, bg, weight = (F.avg_pool2d(t, 2) for t in (fg, bg, weight))
    return total / levels


def fba_losses(output, batch):
    """Dict of named loss terms and their sum under 'total'. output: [N, 7, H, W] (alpha, F, B)."""
    alpha, fg, bg = output[:, 0:1], output[:, 1:4], output[:, 4:7]
    a_gt, f_gt, b_gt, image = batch["alpha"], batch["fg"], batch["bg"], batch["clean"]
    w = region_weight(batch["trimap"], batch.get("known_weight", KNOWN_WEIGHT))
    terms = {
        "alpha_l1": weighted_mean(torch.abs(alpha - a_gt), w),
        "alpha_comp": weighted_mean(torch.abs(alpha * f_gt + (1 - alpha) * b_gt - image), w),
        "alpha_grad": gradient_loss(alpha, a_gt, w),
        "alpha_lap": laplacian_loss(alpha, a_gt, w),
        # F is only defined where some foreground shows, B where some background shows.
        "fb_l1": weighted_mean(torch.abs(fg - f_gt), w * (a_gt > 0).float())
        + weighted_mean(torch.abs(bg - b_gt), w * (a_gt < 1).float()),
        "fb_comp": weighted_mean(torch.abs(a_gt * fg + (1 - a_gt) * bg - image), w),
        "fb_lap": laplacian_loss(fg, f_gt, w * (a_gt > 0).float()) + laplacian_loss(bg, b_gt, w * (a_gt < 1).float()),
        "fb_excl": exclusion_loss(fg, bg, w),
    }
    terms["total"] = sum(terms.values())
    return terms
