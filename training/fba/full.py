"""The full FBA matting network (Forte & Pitie 2020): ResNet-50 GN+WS encoder at output stride 8 and the
pyramid-pooling decoder, module and parameter names as in the authors' reference implementation."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .fusion import AdaptiveAvgPool, split_and_fuse
from .resnet_gn_ws import ResnetDilated
from .ws_layers import Conv2d, norm

IN_CHANNELS = 3 + 6 + 2
POOL_SCALES = (1, 2, 3, 6)


class FBADecoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.ppm = nn.ModuleList(
            nn.Sequential(AdaptiveAvgPool(scale), Conv2d(2048, 256, 1, bias=True), norm(256), nn.LeakyReLU())
            for scale in POOL_SCALES)
        self.conv_up1 = nn.Sequential(
            Conv2d(2048 + len(POOL_SCALES) * 256, 256, 3, padding=1, bias=True), norm(256), nn.LeakyReLU(),
            Conv2d(256, 256, 3, padding=1), norm(256), nn.LeakyReLU())
        self.conv_up2 = nn.Sequential(Conv2d(256 + 256, 256, 3, padding=1, bias=True), norm(256), nn.LeakyReLU())
        self.conv_up3 = nn.Sequential(Conv2d(256 + 64, 64, 3, padding=1, bias=True), norm(64), nn.LeakyReLU())
        # The reference declares this max-unpooling skip and hands the decoder the pooling indices, but its
        # forward pass upsamples bilinearly instead; the published weights were trained that way, so we keep
        # the module (it has no parameters) and follow the same forward pass.
        self.unpool = nn.MaxUnpool2d(2, stride=2)
        self.conv_up4 = nn.Sequential(
            nn.Conv2d(64 + 3 + 3 + 2, 32, 3, padding=1, bias=True), nn.LeakyReLU(),
            nn.Conv2d(32, 16, 3, padding=1, bias=True), nn.LeakyReLU(),
            nn.Conv2d(16, 7, 1, padding=0, bias=True))

    def forward(self, maps, image, indices, trimap2):
        conv5 = maps[-1]
        size = (conv5.shape[2], conv5.shape[3])
        pooled = [F.interpolate(branch(conv5), size, mode="bilinear", align_corners=False) for branch in self.ppm]
        x = self.conv_up1(torch.cat([conv5] + pooled, 1))
        x = F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)
        x = self.conv_up2(torch.cat((x, maps[-4]), 1))
        x = F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)
        x = self.conv_up3(torch.cat((x, maps[-5]), 1))
        x = F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)
        # maps[-6] is the encoder input; its first three channels are the normalised image.
        x = torch.cat((x, maps[-6][:, :3], image, trimap2), 1)
        return split_and_fuse(self.conv_up4(x), image)


class MattingModule(nn.Module):
    """forward(image, two_chan_trimap, image_n, trimap_transformed) -> [N, 7, H, W]: alpha, F, B."""

    def __init__(self):
        super().__init__()
        self.encoder = ResnetDilated(IN_CHANNELS)
        self.decoder = FBADecoder()

    def forward(self, image, two_chan_trimap, image_n, trimap_transformed):
        maps, indices = self.encoder(torch.cat((image_n, trimap_transformed, two_chan_trimap), 1))
        return self.decoder(maps, image, indices, two_chan_trimap)
