import numpy as np

from fba.synth.trimaps import benchmark_like_trimap, dilate, erode, trimap_from_soft_mask


def test_erode_and_dilate_by_radius():
    m = np.zeros((7, 7), bool)
    m[2:5, 2:5] = True
    assert erode(m, 1).sum() == 1  # only the centre is more than 1 px from the outside
    assert dilate(m, 1).sum() == 9 + 12  # a 3x3 square grows by one pixel on each side (no corners)


def test_engine_rule_on_a_step_mask():
    p = np.tile(np.array([0, 0, 0, 0.05, 0.5, 0.95, 1, 1, 1, 1], np.float32), (3, 1))
    t = trimap_from_soft_mask(p, band=1)
    # p >= 0.1 starts at column 4; dilated by 1 -> column 3 is unknown, 0-2 background.
    # p > 0.9 starts at column 5; eroded by 1 -> columns 6-9 are foreground (column 9 touches the image edge,
    # which is not outside the mask), column 5 unknown.
    assert t[1].tolist() == [0, 0, 0, 0.5, 0.5, 0.5, 1, 1, 1, 1]


def test_benchmark_trimap_covers_every_partial_pixel():
    rng = np.random.default_rng(0)
    alpha = np.zeros((20, 20), np.float32)
    alpha[:, 10:] = 1
    alpha[5, 9] = 0.3
    t = benchmark_like_trimap(alpha, rng)
    assert t[5, 9] == 0.5
    assert set(np.unique(t)) <= {0.0, 0.5, 1.0}
    assert t[0, 0] == 0 and t[0, 19] == 1
