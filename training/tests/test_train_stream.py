import numpy as np
import pytest
import torch
from PIL import Image

from fba.losses import KNOWN_WEIGHT, region_weight
from train import SyntheticStream


def test_engine_only_batches_need_no_synthetic_pools(tmp_path):
    """With every batch engine-made, the stream reads only the samples: the procedural pool, keyed people
    and photos may be absent (as on a machine that was carried only the samples)."""
    rng = np.random.default_rng(0)
    for k in range(2):
        blocks = (rng.random((4 * 6, 8, 4)) * 255).astype(np.uint8)
        blocks[:6, :, 3] = 128
        Image.fromarray(blocks, "RGBA").save(tmp_path / f"s{k}.png")
    missing = str(tmp_path / "absent")
    stream = SyntheticStream(missing, missing, missing, batch=3, size=32, seed=1, real_fraction=0.5, zoom_out=0,
                             engine_fraction=0.9, engine_dir=str(tmp_path), engine_batches=1.0, engine_size=16,
                             engine_known_weight=0.0)
    batch = next(iter(stream))
    assert batch["image"].shape == (3, 3, 16, 16)
    assert batch["trimap6"].shape == (3, 6, 16, 16)
    # The 6 x 8 samples were edge-padded to the 16 x 16 canvas; the trimap block held 128: all unknown.
    assert (batch["trimap"] == 0.5).all()
    # The engine overrides the network in the trimap's sure regions: their loss weight travels with the batch.
    assert batch["known_weight"].shape == (3, 1, 1, 1) and (batch["known_weight"] == 0).all()


def test_region_weight_takes_one_known_weight_per_sample():
    trimap = torch.tensor([0.0, 0.5, 1.0]).reshape(1, 1, 1, 3).repeat(2, 1, 1, 1)
    assert region_weight(trimap)[0, 0, 0].tolist() == pytest.approx([KNOWN_WEIGHT, 1.0, KNOWN_WEIGHT])
    w = region_weight(trimap, torch.tensor([0.0, 0.5]).reshape(2, 1, 1, 1))
    assert w[0, 0, 0].tolist() == [0.0, 1.0, 0.0] and w[1, 0, 0].tolist() == [0.5, 1.0, 0.5]
