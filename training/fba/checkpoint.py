"""Loading weights into an FBA network strictly, with errors that say exactly what does not fit."""
from pathlib import Path

import torch

LISTED = 25


class CheckpointError(ValueError):
    """The file is not a usable checkpoint for the chosen network."""


class CheckpointMismatchError(CheckpointError):
    """Keys missing from or unexpected in the checkpoint, or tensors of the wrong shape."""

    def __init__(self, path, missing, unexpected, wrong_shapes):
        self.missing, self.unexpected, self.wrong_shapes = missing, unexpected, wrong_shapes
        parts = [f"checkpoint {path} does not match the network:"]
        for title, items in (("missing keys", missing), ("unexpected keys", unexpected),
                             ("wrong shapes (key: checkpoint vs network)", wrong_shapes)):
            if items:
                shown = items[:LISTED]
                more = f"\n    ... and {len(items) - LISTED} more" if len(items) > LISTED else ""
                parts.append(f"  {len(items)} {title}:\n    " + "\n    ".join(shown) + more)
        super().__init__("\n".join(parts))


def state_dict_of(obj, path):
    """The tensor dict inside a checkpoint: a bare state dict (the authors' FBA.pth) or our training
    checkpoint's weight average ('ema', the weights a run scores on the dev set) or else its 'model' entry."""
    if isinstance(obj, dict) and isinstance(obj.get("ema"), dict):
        obj = obj["ema"]
    elif isinstance(obj, dict) and isinstance(obj.get("model"), dict):
        obj = obj["model"]
    if not isinstance(obj, dict) or not obj or not all(torch.is_tensor(v) for v in obj.values()):
        raise CheckpointError(f"{path} holds no state dict of tensors (found {type(obj).__name__})")
    return obj


def compare(expected, found):
    """(missing, unexpected, wrong_shapes) between two {key: shape} maps, each sorted."""
    missing = sorted(set(expected) - set(found))
    unexpected = sorted(set(found) - set(expected))
    wrong = sorted(f"{k}: {tuple(found[k])} vs {tuple(expected[k])}"
                   for k in set(expected) & set(found) if tuple(found[k]) != tuple(expected[k]))
    return missing, unexpected, wrong


def read_checkpoint(path):
    try:
        return torch.load(path, map_location="cpu")
    except FileNotFoundError:
        raise CheckpointError(f"checkpoint not found: {path}") from None
    except Exception as err:  # torch.load raises many unrelated types on a corrupt or foreign file
        raise CheckpointError(f"cannot read {path} as a PyTorch checkpoint: {err}") from err


def describe(path):
    """'name' or 'name (training step N)' for a checkpoint, for export records and reports."""
    obj = read_checkpoint(path)
    step = obj.get("step") if isinstance(obj, dict) else None
    return f"{Path(path).name} (training step {step})" if isinstance(step, int) else Path(path).name


def load_weights(model, path):
    """Loads `path` into `model` with strict=True semantics; raises CheckpointError / CheckpointMismatchError."""
    state = state_dict_of(read_checkpoint(path), path)
    expected = {k: v.shape for k, v in model.state_dict().items()}
    missing, unexpected, wrong = compare(expected, {k: v.shape for k, v in state.items()})
    if missing or unexpected or wrong:
        raise CheckpointMismatchError(path, missing, unexpected, wrong)
    model.load_state_dict(state, strict=True)
    return model
