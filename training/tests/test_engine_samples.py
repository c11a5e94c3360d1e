import numpy as np
import pytest
from PIL import Image

from fba.synth.engine_samples import engine_sample, fit_canvas, read_sample


def write_stack(path, blocks):
    Image.fromarray(np.concatenate(blocks, axis=0).astype(np.uint8), "RGBA").save(path)


@pytest.fixture
def sample(tmp_path):
    """A 2 x 3 sample: image with trimap 0 / 128 / 255 in A, composite with alpha in A, F, B."""
    image = np.zeros((2, 3, 4)); image[..., 0] = 10; image[..., 3] = [[0, 128, 255], [255, 7, 0]]
    clean = np.zeros((2, 3, 4)); clean[..., 1] = 20; clean[..., 3] = [[0, 51, 255], [255, 102, 0]]
    fg = np.full((2, 3, 4), 255); fg[..., 2] = 30
    bg = np.full((2, 3, 4), 255); bg[..., 0] = 40
    path = tmp_path / "s.png"
    write_stack(path, [image, clean, fg, bg])
    return path


def test_read_sample_splits_the_four_blocks(sample):
    s = read_sample(sample)
    # 0 -> background, 255 -> person, anything else (128, 7) unknown, as the engine reads its trimap.
    assert s["trimap"].tolist() == [[0, 0.5, 1], [1, 0.5, 0]]
    assert np.allclose(s["alpha"], np.array([[0, 51, 255], [255, 102, 0]]) / 255)
    assert np.allclose(s["image"][..., 0], 10 / 255) and np.allclose(s["clean"][..., 1], 20 / 255)
    assert np.allclose(s["fg"][..., 2], 30 / 255) and np.allclose(s["bg"][..., 0], 40 / 255)


def test_a_picture_that_is_not_four_blocks_is_refused(tmp_path):
    path = tmp_path / "bad.png"
    Image.fromarray(np.zeros((3, 3, 4), np.uint8), "RGBA").save(path)
    with pytest.raises(ValueError, match="4 stacked blocks"):
        read_sample(path)


def test_fit_canvas_edge_pads_a_small_crop():
    alpha = np.array([[0.0, 1.0]], np.float32)
    rgb = np.arange(6, dtype=np.float32).reshape(1, 2, 3)
    rng = np.random.default_rng(0)
    while True:  # the unflipped draw
        out = fit_canvas({"alpha": alpha, "image": rgb}, 3, rng)
        if out["alpha"][0, 0] == 0:
            break
    assert out["alpha"].tolist() == [[0, 1, 1]] * 3
    assert out["image"][2, 2].tolist() == [3, 4, 5]


def test_fit_canvas_cuts_a_large_crop_to_the_canvas():
    a = np.random.default_rng(1).random((5, 7)).astype(np.float32)
    out = fit_canvas({"alpha": a}, 4, np.random.default_rng(2))["alpha"]
    assert out.shape == (4, 4)
    windows = [a[y:y + 4, x:x + 4] for y in range(2) for x in range(4)]
    assert any(np.array_equal(out, w) or np.array_equal(out, w[:, ::-1]) for w in windows)


def test_engine_sample_has_the_synthetic_samples_keys_and_shapes(sample):
    s = engine_sample([sample], np.random.default_rng(0), size=8)
    assert s["image"].shape == (3, 8, 8) and s["trimap6"].shape == (6, 8, 8) and s["alpha"].shape == (1, 8, 8)
    assert set(s) == {"image", "trimap2", "image_n", "trimap6", "trimap", "alpha", "fg", "bg", "clean"}
