import numpy as np
from PIL import Image

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
                             engine_fraction=0.9, engine_dir=str(tmp_path), engine_batches=1.0, engine_size=16)
    batch = next(iter(stream))
    assert batch["image"].shape == (3, 3, 16, 16)
    assert batch["trimap6"].shape == (3, 6, 16, 16)
    # The 6 x 8 samples were edge-padded to the 16 x 16 canvas; the trimap block held 128: all unknown.
    assert (batch["trimap"] == 0.5).all()
