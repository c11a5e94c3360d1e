"""The F-B-alpha fusion step and the pooling helper both FBA variants put in their graphs."""
import torch
import torch.nn as nn

# Weight of the network's own alpha against the one implied by F and B, as in the reference.
FUSION_LAMBDA = 0.1


def fba_fusion(alpha, image, fg, bg):
    """Refines alpha, F and B against each other with the compositing equation I = aF + (1 - a)B.

    F and B are first pulled toward values consistent with the image at the current alpha, then alpha is
    re-solved by least squares along F - B, regularised toward the network's alpha so that F ~ B stays
    well posed. All three come out clamped to [0, 1].
    """
    fg_new = alpha * image + (1 - alpha ** 2) * fg - alpha * (1 - alpha) * bg
    bg_new = (1 - alpha) * image + (2 * alpha - alpha ** 2) * bg - alpha * (1 - alpha) * fg
    fg_new = torch.clamp(fg_new, 0, 1)
    bg_new = torch.clamp(bg_new, 0, 1)
    diff = fg_new - bg_new
    alpha_new = (alpha * FUSION_LAMBDA + torch.sum((image - bg_new) * diff, 1, keepdim=True)) / (
        torch.sum(diff * diff, 1, keepdim=True) + FUSION_LAMBDA)
    return torch.clamp(alpha_new, 0, 1), fg_new, bg_new


def split_and_fuse(raw, image):
    """7 raw output channels -> fused [alpha, F, B], the activations of the reference decoder head."""
    alpha = torch.clamp(raw[:, 0:1], 0, 1)
    fg = torch.sigmoid(raw[:, 1:4])
    bg = torch.sigmoid(raw[:, 4:7])
    alpha, fg, bg = fba_fusion(alpha, image, fg, bg)
    return torch.cat((alpha, fg, bg), 1)


def _pooling_matrix(axis_ones, bins):
    """bins x length matrix whose row i averages the cells AdaptiveAvgPool gives to bin i.

    The length comes from a ones vector cut from the input rather than from a Python int, so a traced
    graph keeps it dynamic.
    """
    pos = torch.cumsum(axis_ones, 0) - 1
    size = torch.sum(axis_ones)
    idx = torch.arange(bins, dtype=axis_ones.dtype, device=axis_ones.device)
    start = torch.floor(idx * size / bins)[:, None]
    end = torch.ceil((idx + 1) * size / bins)[:, None]
    inside = ((pos[None, :] >= start) & (pos[None, :] < end)).to(axis_ones.dtype)
    return inside / torch.sum(inside, 1, keepdim=True)


class AdaptiveAvgPool(nn.Module):
    """AdaptiveAvgPool2d(bins) written as two small matrix products.

    torch.onnx cannot export adaptive pooling to a bin count other than 1 when H and W are dynamic; this
    computes the same bins (floor/ceil edges, overlapping where the size does not divide) from the runtime
    shape, so one exported graph serves every input size.
    """

    def __init__(self, bins):
        super().__init__()
        self.bins = bins

    def forward(self, x):
        ph = _pooling_matrix(torch.ones_like(x[0, 0, :, 0]), self.bins)
        pw = _pooling_matrix(torch.ones_like(x[0, 0, 0, :]), self.bins)
        return torch.matmul(torch.matmul(ph, x), pw.transpose(0, 1))
