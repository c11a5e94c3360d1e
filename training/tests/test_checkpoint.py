import pytest
import torch

from fba.checkpoint import CheckpointError, CheckpointMismatchError, load_weights
from fba.full import MattingModule
from fba.light import FBALight


def test_full_model_has_the_reference_layout():
    sd = MattingModule().state_dict()
    assert sd["encoder.conv1.weight"].shape == (64, 11, 7, 7)
    assert sd["encoder.layer1.0.downsample.0.weight"].shape == (256, 64, 1, 1)
    assert sd["decoder.ppm.3.1.weight"].shape == (256, 2048, 1, 1)
    assert sd["decoder.conv_up1.0.weight"].shape == (256, 3072, 3, 3)
    assert sd["decoder.conv_up4.4.weight"].shape == (7, 16, 1, 1)
    assert sum(v.numel() for v in sd.values()) == 34_693_031


def test_round_trip_loads_strictly(tmp_path):
    model = FBALight()
    torch.save({"model": model.state_dict(), "step": 3}, tmp_path / "c.pt")
    load_weights(FBALight(), tmp_path / "c.pt")


def test_mismatch_lists_missing_unexpected_and_wrong_shapes(tmp_path):
    sd = MattingModule().state_dict()
    del sd["decoder.conv_up4.4.bias"]
    sd["decoder.extra.weight"] = torch.zeros(1)
    sd["encoder.conv1.weight"] = torch.zeros(64, 3, 7, 7)
    torch.save(sd, tmp_path / "bad.pth")
    with pytest.raises(CheckpointMismatchError) as err:
        load_weights(MattingModule(), tmp_path / "bad.pth")
    text = str(err.value)
    assert "1 missing keys:\n    decoder.conv_up4.4.bias" in text
    assert "1 unexpected keys:\n    decoder.extra.weight" in text
    assert "encoder.conv1.weight: (64, 3, 7, 7) vs (64, 11, 7, 7)" in text


def test_light_checkpoint_into_full_model_is_refused_with_counts(tmp_path):
    torch.save(FBALight().state_dict(), tmp_path / "light.pt")
    with pytest.raises(CheckpointMismatchError) as err:
        load_weights(MattingModule(), tmp_path / "light.pt")
    assert len(err.value.missing) == 197 and "... and" in str(err.value)


def test_unreadable_and_missing_files(tmp_path):
    (tmp_path / "junk.pth").write_bytes(b"not a checkpoint")
    with pytest.raises(CheckpointError, match="cannot read"):
        load_weights(FBALight(), tmp_path / "junk.pth")
    with pytest.raises(CheckpointError, match="not found"):
        load_weights(FBALight(), tmp_path / "absent.pth")
    torch.save([1, 2], tmp_path / "list.pth")
    with pytest.raises(CheckpointError, match="no state dict"):
        load_weights(FBALight(), tmp_path / "list.pth")
