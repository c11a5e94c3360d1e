import pytest
import torch

from fba.light import SMALL_DILATIONS, FBALight
from fba.onnx_export import example_inputs, export_onnx
from fba.warm_start import WarmStartError, freeze_batch_norm, grow, load_folded_onnx


def trained_looking_model(seed, **knobs):
    """Random weights and non-trivial Batch Norm statistics, so folding has something to fold."""
    torch.manual_seed(seed)
    model = FBALight(**knobs)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 2.0)
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.2, 0.2)
    return model.eval()


def test_loaded_onnx_computes_what_the_exported_model_did(tmp_path):
    original = trained_looking_model(3)
    export_onnx(original, tmp_path / "m.onnx")
    loaded = load_folded_onnx(FBALight(), tmp_path / "m.onnx")
    inputs = example_inputs(48, 64, seed=5)
    with torch.no_grad():
        want = original(*inputs)
        # Training mode with frozen Batch Norm is the mode a warm-started run trains in.
        freeze_batch_norm(loaded.train())
        got = loaded(*inputs)
    assert torch.allclose(got, want, atol=1e-4)


def test_a_file_of_another_network_is_refused(tmp_path):
    model = trained_looking_model(5)
    export_onnx(model, tmp_path / "m.onnx")
    other = FBALight()
    other.encoder.stem[0] = torch.nn.Conv2d(11, 8, 3, 2, 1, bias=False)
    with pytest.raises(WarmStartError, match="convolution 0"):
        load_folded_onnx(other, tmp_path / "m.onnx")


def test_grown_network_computes_what_the_small_one_did():
    small = trained_looking_model(7, dilations=SMALL_DILATIONS)
    large = grow(small, FBALight())
    assert sum(p.numel() for p in large.parameters()) > sum(p.numel() for p in small.parameters())
    inputs = example_inputs(48, 64, seed=8)
    with torch.no_grad():
        assert torch.allclose(large.eval()(*inputs), small(*inputs), atol=1e-5)
