import pytest
import torch

from fba.checkpoint import load_weights
from fba.ema import WeightAverage


def tiny():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(2, 1), torch.nn.BatchNorm1d(1))


def test_average_moves_a_fraction_towards_the_weights():
    model = tiny()
    average = WeightAverage(model, decay=0.75)
    with torch.no_grad():
        model[0].weight.fill_(1.0)
        model[0].bias.fill_(-2.0)
    start_weight = average.average["0.weight"].clone()
    average.update(model)
    # 0.75 * old + 0.25 * new, by hand
    assert torch.allclose(average.average["0.weight"], 0.75 * start_weight + 0.25)
    # integer buffers (Batch Norm's batch count) are copied, not averaged
    model[1].num_batches_tracked.fill_(7)
    average.update(model)
    assert average.average["1.num_batches_tracked"].item() == 7


def test_rejects_a_decay_outside_zero_to_one():
    with pytest.raises(ValueError, match="between 0 and 1"):
        WeightAverage(tiny(), decay=1.0)


def test_export_takes_the_average_from_a_training_checkpoint(tmp_path):
    model = tiny()
    average = WeightAverage(model, decay=0.5)
    with torch.no_grad():
        model[0].weight.fill_(4.0)
    average.update(model)
    torch.save({"model": model.state_dict(), "ema": average.state_dict(), "step": 3}, tmp_path / "c.pt")
    loaded = load_weights(tiny(), tmp_path / "c.pt")
    assert torch.allclose(loaded[0].weight, average.average["0.weight"])
    assert not torch.allclose(loaded[0].weight, model[0].weight)
