import numpy as np

from fba.metrics import connectivity_error, gradient_error, mse, sad, unknown_region


def test_sad_and_mse_count_unknown_pixels_only():
    gt = np.array([[0.0, 0.5, 1.0]])
    pred = np.array([[1.0, 0.25, 0.0]])
    trimap = np.array([[0.0, 0.5, 1.0]])
    unknown = unknown_region(trimap)
    assert unknown.tolist() == [[False, True, False]]
    assert sad(pred, gt, unknown) == 0.25 / 1000
    assert mse(pred, gt, unknown) == 0.0625


def test_gradient_error_is_zero_for_a_perfect_matte_and_positive_for_a_blurred_edge():
    gt = np.zeros((9, 9))
    gt[:, 5:] = 1
    unknown = np.ones_like(gt, bool)
    assert gradient_error(gt, gt, unknown) == 0
    flat = np.full_like(gt, 0.5)
    assert gradient_error(flat, gt, unknown) > 0


def test_connectivity_error_zero_when_equal_and_counts_a_disconnected_island():
    gt = np.zeros((5, 5))
    gt[:, :2] = 1
    unknown = np.ones_like(gt, bool)
    assert connectivity_error(gt, gt, unknown) == 0
    pred = gt.copy()
    pred[2, 4] = 1.0  # an island of alpha 1 not connected to the foreground
    # The island's level is 0 (it leaves the largest component at the first threshold): phi = 1 - 1 = 0 in
    # pred; in gt the pixel is 0, phi = 1. One pixel differs by 1.
    assert connectivity_error(pred, gt, unknown) == 1 / 1000
