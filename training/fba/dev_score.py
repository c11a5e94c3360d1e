"""The dev set: real photographs with ground-truth alpha (../shared/eval/alphamatting, the alphamatting.com
training images). Scored during training to follow progress; never a source of training samples."""
from pathlib import Path

import numpy as np
from PIL import Image

from .infer import predict
from .metrics import all_errors

EVAL_DIR = Path(__file__).resolve().parents[3] / "shared" / "eval" / "alphamatting"


def read_trimap(path):
    t = np.asarray(Image.open(path).convert("L"), dtype=np.float64) / 255
    return np.where(t < 0.25, 0.0, np.where(t > 0.75, 1.0, 0.5))


def real_cases(eval_dir, trimap_folder):
    for path in sorted((eval_dir / "image").glob("*.png")):
        image = np.asarray(Image.open(path).convert("RGB"), dtype=np.float32) / 255
        alpha = np.asarray(Image.open(eval_dir / "alpha" / path.name))
        alpha = (alpha[..., 0] if alpha.ndim == 3 else alpha).astype(np.float64) / 255
        yield path.stem, image, alpha, read_trimap(eval_dir / trimap_folder / path.name)


def dev_errors(model, eval_dir=EVAL_DIR, trimap_folder="trimap"):
    """Mean SAD / MSE / Grad / Conn of `model` (in eval mode) over the dev set, or None where it is absent."""
    eval_dir = Path(eval_dir)
    if not (eval_dir / "image").is_dir():
        return None
    rows = [all_errors(predict(model, image, trimap)[0], alpha, trimap)
            for _, image, alpha, trimap in real_cases(eval_dir, trimap_folder)]
    return {k: float(np.mean([r[k] for r in rows])) for k in rows[0]}
