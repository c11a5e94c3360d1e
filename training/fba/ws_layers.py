"""Weight-standardised convolution and the Group Norm the reference pairs it with."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Conv2d(nn.Conv2d):
    """A convolution whose kernel is standardised (zero mean, unit variance per output channel) on every call.

    The reference standardises its weights in place whenever the module switches mode; doing it in the
    forward pass instead gives the same numbers (standardising twice changes them by a factor of
    1/sqrt(1 + eps)), keeps the stored parameters untouched, and lets ONNX export fold it into a constant.
    """

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
                 bias=True, eps=1e-5):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias)
        self.eps = eps

    def standardised_weight(self):
        w = self.weight
        flat = w.reshape(w.shape[0], -1)
        mean = flat.mean(dim=1, keepdim=True)
        var = flat.var(dim=1, unbiased=False, keepdim=True)
        return ((flat - mean) / torch.sqrt(var + self.eps)).reshape_as(w)

    def forward(self, x):
        return F.conv2d(x, self.standardised_weight(), self.bias, self.stride, self.padding, self.dilation,
                        self.groups)


def norm(channels):
    """Group Norm with 32 groups, as everywhere in the reference network."""
    return nn.GroupNorm(32, channels)
