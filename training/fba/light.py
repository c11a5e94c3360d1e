"""FBA-light: the FBA inputs, outputs and fusion with an encoder and decoder cheap enough for a CPU in real time.

Same contract as the full network: forward(image, trimap2, image_n, trimap6) -> [N, 7, H, W] (alpha, F, B
after fusion), H and W multiples of 8. What changes is the cost: a MobileNetV2-style encoder (inverted
residual blocks, depthwise 3x3) reaching output stride 8 through dilation like the full model, a small
pyramid-pooling head, and a decoder that keeps full-resolution work to a few channels. Batch Norm replaces
Group Norm + Weight Standardisation because at inference it folds into the convolutions for free.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .fusion import AdaptiveAvgPool, split_and_fuse

IN_CHANNELS = 3 + 6 + 2
SMALL_DILATIONS = (2, 4, 8)


def conv_bn_relu(cin, cout, kernel=3, stride=1, dilation=1, groups=1):
    pad = dilation * (kernel // 2)
    return nn.Sequential(
        nn.Conv2d(cin, cout, kernel, stride, pad, dilation, groups, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


class InvertedResidual(nn.Module):
    """Expand (1x1) -> depthwise 3x3 -> project (1x1), with a residual when shapes allow."""

    def __init__(self, cin, cout, stride=1, dilation=1, expand=4):
        super().__init__()
        mid = cin * expand
        self.use_residual = stride == 1 and cin == cout
        self.block = nn.Sequential(
            conv_bn_relu(cin, mid, kernel=1),
            conv_bn_relu(mid, mid, kernel=3, stride=stride, dilation=dilation, groups=mid),
            nn.Conv2d(mid, cout, 1, bias=False),
            nn.BatchNorm2d(cout),
        )

    def forward(self, x):
        y = self.block(x)
        return x + y if self.use_residual else y


class LightEncoder(nn.Module):
    """Features at strides 2, 4 and 8 (the last dilated instead of downsampled further)."""

    def __init__(self, widths=(16, 24, 48), dilations=(2, 4, 8)):
        super().__init__()
        c2, c4, c8 = widths
        self.stem = conv_bn_relu(IN_CHANNELS, c2, stride=2)
        self.stage4 = nn.Sequential(InvertedResidual(c2, c4, stride=2), InvertedResidual(c4, c4))
        self.stage8 = nn.Sequential(InvertedResidual(c4, c8, stride=2),
                                    *(InvertedResidual(c8, c8, dilation=d) for d in dilations))

    def forward(self, x):
        f2 = self.stem(x)
        f4 = self.stage4(f2)
        f8 = self.stage8(f4)
        return f2, f4, f8


class LightPyramidPooling(nn.Module):
    """The reference's pyramid pooling (bins 1, 2, 3, 6) with narrow branches."""

    def __init__(self, cin, branch, cout, bins=(1, 2, 3, 6)):
        super().__init__()
        self.branches = nn.ModuleList(
            nn.Sequential(AdaptiveAvgPool(b), nn.Conv2d(cin, branch, 1, bias=False), nn.BatchNorm2d(branch),
                          nn.ReLU(inplace=True)) for b in bins)
        self.fuse = conv_bn_relu(cin + branch * len(bins), cout, kernel=1)

    def forward(self, x):
        size = (x.shape[2], x.shape[3])
        pooled = [F.interpolate(b(x), size, mode="bilinear", align_corners=False) for b in self.branches]
        return self.fuse(torch.cat([x] + pooled, 1))


def up2(x):
    return F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)


class LightDecoder(nn.Module):
    def __init__(self, widths=(16, 24, 48), ppm_out=48, d4=32, d2=8, d1=16):
        super().__init__()
        c2, c4, c8 = widths
        self.ppm = LightPyramidPooling(c8, 16, ppm_out)
        self.up4 = nn.Sequential(conv_bn_relu(ppm_out + c4, ppm_out + c4, groups=ppm_out + c4),
                                 conv_bn_relu(ppm_out + c4, d4, kernel=1))
        self.up2 = nn.Sequential(conv_bn_relu(d4 + c2, d4 + c2, groups=d4 + c2),
                                 conv_bn_relu(d4 + c2, d2, kernel=1))
        # Full resolution sees the raw and normalised image and the trimap, as in the reference's last stage.
        full_in = d2 + 3 + 3 + 2
        self.up1 = nn.Sequential(
            nn.Conv2d(full_in, d1, 3, padding=1, bias=True),
            nn.LeakyReLU(),
            nn.Conv2d(d1, 7, 1, bias=True),
        )

    def forward(self, feats, image, image_n, trimap2):
        f2, f4, f8 = feats
        x = self.ppm(f8)
        x = self.up4(torch.cat((up2(x), f4), 1))
        x = self.up2(torch.cat((up2(x), f2), 1))
        x = torch.cat((up2(x), image_n, image, trimap2), 1)
        return split_and_fuse(self.up1(x), image)


class FBALight(nn.Module):
    """Defaults are the shipped network; the arguments are the capacity knobs training/capacity.py measures.
    Before 2026-12-03 the stride-8 stage had three dilated blocks (2, 4, 8): `SMALL_DILATIONS`."""

    def __init__(self, widths=(16, 24, 48), dilations=(2, 4, 8, 1, 2, 4), ppm_out=48, d4=32, d2=8, d1=16):
        super().__init__()
        self.encoder = LightEncoder(widths, dilations)
        self.decoder = LightDecoder(widths, ppm_out, d4, d2, d1)

    def forward(self, image, trimap2, image_n, trimap6):
        x = torch.cat((image_n, trimap6, trimap2), 1)
        return self.decoder(self.encoder(x), image, image_n, trimap2)
