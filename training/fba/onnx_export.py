"""Writes an FBA network to ONNX in the layout the engine loads."""
import torch

INPUT_NAMES = ["image", "trimap2", "image_n", "trimap6"]
INPUT_CHANNELS = (3, 2, 3, 6)
OUTPUT_NAME = "output"
OPSET = 17


def example_inputs(height=64, width=64, seed=0):
    """Random inputs in the value ranges the encoding produces: tracing needs only their shapes."""
    g = torch.Generator().manual_seed(seed)
    image = torch.rand(1, 3, height, width, generator=g)
    labels = torch.randint(0, 3, (1, 1, height, width), generator=g)
    trimap2 = torch.cat(((labels == 0).float(), (labels == 2).float()), 1)
    image_n = (image - torch.tensor([0.485, 0.456, 0.406])[:, None, None]) / torch.tensor(
        [0.229, 0.224, 0.225])[:, None, None]
    trimap6 = torch.rand(1, 6, height, width, generator=g)
    return image, trimap2, image_n, trimap6


def export_onnx(model, path, height=64, width=64):
    """Exports in eval mode with dynamic H and W (both must be multiples of 8 at run time)."""
    model.eval()
    dynamic = {name: {2: "height", 3: "width"} for name in INPUT_NAMES}
    dynamic[OUTPUT_NAME] = {2: "height", 3: "width"}
    with torch.no_grad():
        torch.onnx.export(model, example_inputs(height, width), str(path), input_names=INPUT_NAMES,
                          output_names=[OUTPUT_NAME], dynamic_axes=dynamic, opset_version=OPSET,
                          do_constant_folding=True)
