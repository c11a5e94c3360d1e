import numpy as np
import pytest

from fba.synth.composites import make_sample
from fba.synth.foregrounds import Layer, downsample, make_foreground, over


def test_downsample_is_area_coverage():
    hi = np.zeros((8, 8), np.float32)
    hi[:, 0] = 1  # one supersample column of four inside the first output column
    assert downsample(hi, 4).tolist() == [[0.25, 0.0], [0.25, 0.0]]


def test_over_operator_on_one_pixel():
    top = Layer(np.array([[0.5]]), np.array([[[1.0, 0, 0]]]))
    bottom = Layer(np.array([[0.5]]), np.array([[[0, 0, 1.0]]]))
    out = over(top, bottom)
    # alpha = 0.5 + 0.5 * 0.5; premultiplied colour = (0.5, 0, 0) + 0.5 * (0, 0, 0.5)
    assert out.alpha.item() == 0.75
    assert out.premult[0, 0].tolist() == [0.5, 0.0, 0.25]


@pytest.fixture(scope="module")
def photos():
    rng = np.random.default_rng(0)
    return [(rng.random((300, 400, 3)) * 255).astype(np.uint8)]


def test_foreground_has_partial_alpha_and_valid_colour(photos):
    alpha, colour = make_foreground(np.random.default_rng(5), photos, size=96)
    assert alpha.shape == (96, 96) and colour.shape == (96, 96, 3)
    assert alpha.min() >= 0 and alpha.max() <= 1 and colour.min() >= 0 and colour.max() <= 1
    assert ((alpha > 0.02) & (alpha < 0.98)).any()


def test_sample_ground_truth_composites_exactly(photos):
    fg = make_foreground(np.random.default_rng(1), photos, size=96)
    s = make_sample([fg], photos, np.random.default_rng(2), size=64)
    a = s["alpha"]
    assert np.allclose(s["clean"], a * s["fg"] + (1 - a) * s["bg"], atol=1e-6)
    assert set(np.unique(s["trimap"])) <= {0.0, 0.5, 1.0}
    assert s["trimap6"].shape == (6, 64, 64) and s["trimap2"].shape == (2, 64, 64)


def test_resize_keeps_coverage_when_shrinking():
    from fba.synth.composites import resize
    # A one-pixel line in an 8x8 tile covers 1/8 of it: shrunk to 2x2 with antialiasing each output
    # pixel averages its 4x4 block, so the column holding the line gets 1/4 and the total coverage stays.
    tile = np.zeros((8, 8), np.float32)
    tile[:, 1] = 1
    small = resize(tile, 2)
    assert small.shape == (2, 2)
    assert np.allclose(small.sum() * 16, tile.sum(), atol=1e-4)
    assert np.allclose(small[:, 1], 0, atol=1e-6)
    rgb = np.full((5, 7, 3), 0.25, np.float32)
    assert np.allclose(resize(rgb, 3), 0.25)


def test_zoomed_out_shrinks_the_foreground_into_an_empty_canvas():
    from fba.synth.composites import zoomed_out
    alpha = np.ones((40, 40), np.float32)
    colour = np.full((40, 40, 3), 0.25, np.float32)
    a, f = zoomed_out(alpha, colour, np.random.default_rng(0), 40)
    assert a.shape == (40, 40) and f.shape == (40, 40, 3)
    # 35-80 % of the side: the opaque square covers 14-32 pixels a side, the rest is empty.
    covered = (a > 0.5).sum()
    assert 14 * 14 <= covered <= 32 * 32
    assert a.min() == 0.0
    # The colour is extended past the shrunk foreground, never a black border the network could key on.
    assert np.allclose(f, 0.25, atol=1e-5)
