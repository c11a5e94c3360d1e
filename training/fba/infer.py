"""Running an FBA network (PyTorch) on one image and trimap, the way the engine feeds it."""
import numpy as np
import torch

from .encoding import encode


def predict(model, image, trimap):
    """image H x W x 3 in [0, 1], trimap H x W in {0, 0.5, 1} -> (alpha H x W, F H x W x 3, B H x W x 3)."""
    h, w = trimap.shape
    inputs = encode(image, trimap)
    device = next(model.parameters()).device
    with torch.no_grad():
        out = model(*(torch.from_numpy(inputs[k]).to(device) for k in ("image", "trimap2", "image_n", "trimap6")))
    out = out[0, :, :h, :w].cpu().numpy()
    return out[0], out[1:4].transpose(1, 2, 0), out[4:7].transpose(1, 2, 0)
