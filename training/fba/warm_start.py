"""Starting a training run from an exported FBA-light ONNX file instead of from scratch.

Export folds every Batch Norm into the convolution before it, so the ONNX file holds one weight and one bias
per convolution, in the order the network runs them. Loading them back gives each convolution its folded
weight and turns its Batch Norm into an identity plus the folded bias (scale 1, mean 0, variance 1 - eps).
That is the same function only while Batch Norm uses its running statistics, so a run started this way keeps
Batch Norm in eval mode (`freeze_batch_norm`) for good: its affine terms still train.
"""
import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import numpy_helper


class WarmStartError(ValueError):
    """The ONNX file's convolutions do not line up with the network's."""


def conv_initialisers(path):
    """[(weight, bias or None)] for every Conv node of the ONNX graph, in graph order."""
    model = onnx.load(str(path))
    tensors = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    out = []
    for node in model.graph.node:
        if node.op_type != "Conv":
            continue
        weight = tensors.get(node.input[1])
        bias = tensors.get(node.input[2]) if len(node.input) > 2 else None
        if weight is None:
            raise WarmStartError(f"{path}: Conv {node.name} has no stored weight")
        out.append((weight, bias))
    return out


def conv_slots(model):
    """[(conv, batch_norm or None)] in the order the network runs them (module registration order, which
    FBA-light's forward follows)."""
    slots = []
    modules = list(model.modules())
    for i, m in enumerate(modules):
        if isinstance(m, nn.Conv2d):
            following = modules[i + 1] if i + 1 < len(modules) else None
            slots.append((m, following if isinstance(following, nn.BatchNorm2d) else None))
    return slots


def load_folded_onnx(model, path):
    """Loads an exported FBA-light's folded weights into `model` in place; returns the model."""
    stored = conv_initialisers(path)
    slots = conv_slots(model)
    if len(stored) != len(slots):
        raise WarmStartError(f"{path} has {len(stored)} convolutions, the network {len(slots)}")
    with torch.no_grad():
        for k, ((weight, bias), (conv, bn)) in enumerate(zip(stored, slots)):
            if tuple(weight.shape) != tuple(conv.weight.shape):
                raise WarmStartError(f"{path}: convolution {k} is {weight.shape}, the network's {tuple(conv.weight.shape)}")
            conv.weight.copy_(torch.from_numpy(np.array(weight)))
            b = torch.from_numpy(np.array(bias)) if bias is not None else torch.zeros(weight.shape[0])
            if bn is not None:
                bn.weight.fill_(1.0)
                bn.bias.copy_(b)
                bn.running_mean.zero_()
                bn.running_var.fill_(1.0 - bn.eps)
            elif conv.bias is not None:
                conv.bias.copy_(b)
            elif bias is not None and np.any(bias != 0):
                raise WarmStartError(f"{path}: convolution {k} has a bias the network has no place for")
    return model


def freeze_batch_norm(model):
    """Batch Norm layers to eval mode (running statistics), whatever mode the rest of the model is in."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.eval()
    return model


def grow(small, large):
    """Copies `small` into `large`, a network with the same layers plus more residual blocks, so that `large`
    computes what `small` did: every tensor `small` has is copied by name, and each block only `large` has
    gets its last Batch Norm's scale and shift set to zero, which makes its residual branch add nothing.
    The new blocks then learn from there (the scale gets gradients at once)."""
    have = small.state_dict()
    new_blocks = set()
    with torch.no_grad():
        for name, tensor in large.state_dict().items():
            if name in have:
                if have[name].shape != tensor.shape:
                    raise WarmStartError(f"grow: {name} is {tuple(have[name].shape)} in the smaller network, "
                                         f"{tuple(tensor.shape)} in the larger")
                tensor.copy_(have[name])
            else:
                new_blocks.add(name.rsplit(".block.", 1)[0])
        for prefix in new_blocks:
            block = large.get_submodule(prefix)
            if not getattr(block, "use_residual", False):
                raise WarmStartError(f"grow: {prefix} is new but not a residual block, so it cannot start as identity")
            block.block[-1].weight.zero_()
            block.block[-1].bias.zero_()
    return large
