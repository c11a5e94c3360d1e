import torch

from fba.fusion import AdaptiveAvgPool, fba_fusion


def px(*rgb):
    return torch.tensor(rgb, dtype=torch.float32).view(1, 3, 1, 1)


def test_consistent_estimate_is_a_fixed_point():
    # I = 0.25 * F + 0.75 * B exactly: F, B stay; alpha = (0.1*0.25 + (I-B).(F-B)) / (|F-B|^2 + 0.1) = 0.25.
    f, b = px(1, 0, 0), px(0, 0, 1)
    image = 0.25 * f + 0.75 * b
    alpha, f2, b2 = fba_fusion(torch.full((1, 1, 1, 1), 0.25), image, f, b)
    assert torch.allclose(f2, f) and torch.allclose(b2, b)
    assert abs(alpha.item() - 0.25) < 1e-6


def test_alpha_is_resolved_from_f_and_b():
    # F = white, B = black, I = grey 0.6, network alpha 0: F' = F, B' = I, so alpha' = 0.1*0 + 0 ... = 0,
    # then with alpha 1: F' = I, B' = B, alpha' = (0.1 + 3*0.6*0.6) / (3*0.36 + 0.1) = 1.18/1.18 = 1.
    f, b, image = px(1, 1, 1), px(0, 0, 0), px(0.6, 0.6, 0.6)
    a0, f0, b0 = fba_fusion(torch.zeros(1, 1, 1, 1), image, f, b)
    assert torch.allclose(b0, image) and a0.item() == 0
    a1, f1, _ = fba_fusion(torch.ones(1, 1, 1, 1), image, f, b)
    assert torch.allclose(f1, image) and abs(a1.item() - 1) < 1e-6


def test_outputs_are_clamped():
    a, f, b = fba_fusion(torch.full((1, 1, 1, 1), 0.5), px(1, 1, 1), px(1, 1, 1), px(-5, -5, -5))
    assert 0 <= a.item() <= 1 and f.min() >= 0 and f.max() <= 1 and b.min() >= 0


def test_adaptive_pool_matches_torch_including_uneven_bins():
    x = torch.arange(5 * 7, dtype=torch.float32).view(1, 1, 5, 7)
    for bins in (1, 2, 3, 6):
        assert torch.allclose(AdaptiveAvgPool(bins)(x), torch.nn.AdaptiveAvgPool2d(bins)(x), atol=1e-5)
    # 5 rows into 2 bins: rows 0-2 and 2-4 (they overlap on row 2); the first column's values are 0, 7, 14.
    assert abs(AdaptiveAvgPool(2)(x[:, :, :, :1])[0, 0, 0, 0].item() - 7.0) < 1e-5
