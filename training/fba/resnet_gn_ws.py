"""ResNet-50 with Group Norm and Weight Standardisation, dilated to output stride 8: the FBA encoder.

Attribute names follow the reference implementation (conv1, bn1, layer1..layer4, downsample.0/.1) so that
the authors' checkpoint maps onto these modules key for key.
"""
import torch.nn as nn

from .ws_layers import Conv2d, norm

LAYERS = (3, 4, 6, 3)
EXPANSION = 4


class Bottleneck(nn.Module):
    def __init__(self, inplanes, planes, stride=1, dilation=1, downsample=None):
        super().__init__()
        self.conv1 = Conv2d(inplanes, planes, 1, bias=False)
        self.bn1 = norm(planes)
        self.conv2 = Conv2d(planes, planes, 3, stride=stride, padding=dilation, dilation=dilation, bias=False)
        self.bn2 = norm(planes)
        self.conv3 = Conv2d(planes, planes * EXPANSION, 1, bias=False)
        self.bn3 = norm(planes * EXPANSION)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + identity)


def make_layer(inplanes, planes, blocks, first_stride, first_dilation, dilation):
    """A ResNet stage. Only layer2 keeps its stride (on the 3x3 convolution, as the reference puts it); in the
    dilated stages the reference's first block gets half the stage's dilation and the others the full one."""
    downsample = None
    if first_stride != 1 or inplanes != planes * EXPANSION:
        downsample = nn.Sequential(Conv2d(inplanes, planes * EXPANSION, 1, stride=first_stride, bias=False),
                                   norm(planes * EXPANSION))
    first = Bottleneck(inplanes, planes, first_stride, first_dilation, downsample)
    return nn.Sequential(first, *(Bottleneck(planes * EXPANSION, planes, 1, dilation) for _ in range(1, blocks)))


class ResnetDilated(nn.Module):
    """Returns every intermediate map the decoder needs: [input, stem, layer1, layer2, layer3, layer4], and the
    max-pool indices (the reference computes them for its unpooling skip)."""

    def __init__(self, in_channels):
        super().__init__()
        self.conv1 = Conv2d(in_channels, 64, 7, stride=2, padding=3, bias=False)
        self.bn1 = norm(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1, return_indices=True)
        self.layer1 = make_layer(64, 64, LAYERS[0], 1, 1, 1)
        self.layer2 = make_layer(256, 128, LAYERS[1], 2, 1, 1)
        self.layer3 = make_layer(512, 256, LAYERS[2], 1, 1, 2)
        self.layer4 = make_layer(1024, 512, LAYERS[3], 1, 2, 4)

    def forward(self, x):
        maps = [x]
        x = self.relu(self.bn1(self.conv1(x)))
        maps.append(x)
        x, indices = self.maxpool(x)
        for layer in (self.layer1, self.layer2, self.layer3, self.layer4):
            x = layer(x)
            maps.append(x)
        return maps, indices
