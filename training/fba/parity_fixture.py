"""Stored inputs and PyTorch outputs that the ONNX parity test replays in onnxruntime-node.

Layout of a fixture directory: inputs.json (names, shapes, source), one little-endian float32 .bin per input,
and <variant>.output.bin with <variant>.json describing the weights that produced it.
"""
import json
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from .encoding import encode
from .onnx_export import INPUT_NAMES

ASTRONAUT = "/usr/lib/python3/dist-packages/skimage/data/astronaut.png"
HEIGHT, WIDTH = 48, 64


def fixture_inputs():
    """The astronaut's head and shoulders, downscaled, with a trimap from two ellipses: real pixels, all
    three trimap classes, small enough to commit."""
    with Image.open(ASTRONAUT) as im:
        rgb = np.asarray(im.convert("RGB").crop((96, 16, 416, 256)).resize((WIDTH, HEIGHT), Image.BILINEAR))
    image = rgb.astype(np.float32) / 255
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH]
    r = ((xx - 34) / 18.0) ** 2 + ((yy - 20) / 20.0) ** 2
    trimap = np.full((HEIGHT, WIDTH), 0.5, np.float32)
    trimap[r < 0.55] = 1
    trimap[r > 1.45] = 0
    return encode(image, trimap)


def write_inputs(directory):
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    inputs = fixture_inputs()
    meta = {"source": "skimage astronaut.png, crop (96,16)-(416,256) resized to 64x48; elliptical trimap",
            "inputs": {name: list(inputs[name].shape) for name in INPUT_NAMES}}
    for name in INPUT_NAMES:
        inputs[name].astype("<f4").tofile(directory / f"{name}.bin")
    (directory / "inputs.json").write_text(json.dumps(meta, indent=2) + "\n")
    return inputs


def read_inputs(directory):
    meta = json.loads((Path(directory) / "inputs.json").read_text())
    return {name: np.fromfile(Path(directory) / f"{name}.bin", dtype="<f4").reshape(shape)
            for name, shape in meta["inputs"].items()}


def write_output(model, directory, variant, description):
    """Runs `model` in eval mode on the stored inputs (writing them first if absent) and stores its output."""
    directory = Path(directory)
    inputs = read_inputs(directory) if (directory / "inputs.json").exists() else write_inputs(directory)
    model.eval()
    with torch.no_grad():
        out = model(*(torch.from_numpy(inputs[n]) for n in INPUT_NAMES)).numpy()
    out.astype("<f4").tofile(directory / f"{variant}.output.bin")
    meta = {"variant": variant, "weights": description, "output": list(out.shape), "tolerance": 1e-4}
    (directory / f"{variant}.json").write_text(json.dumps(meta, indent=2) + "\n")
    return out
