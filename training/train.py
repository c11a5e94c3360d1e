"""Trains FBA-light on synthetic composites, on the CPU, resumably.

  /usr/bin/python3 training/train.py --run training/runs/light            # fresh run
  /usr/bin/python3 training/train.py --run training/runs/light --resume   # continue from last.pt

Writes <run>/last.pt every --checkpoint-minutes (model, optimiser, step) and appends to <run>/train.log.
"""
import argparse
import math
import time
from pathlib import Path

import numpy as np
import torch

from fba.light import FBALight
from fba.losses import fba_losses
from fba.synth.composites import load_foregrounds, make_sample
from fba.synth.photos import load_pool, split_pool

HERE = Path(__file__).resolve().parent


class SyntheticStream(torch.utils.data.IterableDataset):
    """Endless batches; the seed depends on the starting step so a resumed run sees new samples."""

    def __init__(self, fg_dir, photo_dir, batch, size, seed):
        self.fg_dir, self.photo_dir = fg_dir, photo_dir
        self.batch, self.size, self.seed = batch, size, seed

    def __iter__(self):
        torch.set_num_threads(1)
        foregrounds = load_foregrounds(self.fg_dir)
        photos, _ = split_pool(load_pool(self.photo_dir))
        rng = np.random.default_rng(self.seed)
        batches = 0
        while True:
            # The foreground pool may still be growing when training starts: pick up new ones now and then.
            batches += 1
            if batches % 500 == 0:
                foregrounds = load_foregrounds(self.fg_dir)
            samples = [make_sample(foregrounds, photos, rng, self.size) for _ in range(self.batch)]
            yield {k: torch.from_numpy(np.stack([s[k] for s in samples])) for k in samples[0]}


def learning_rate(step, base, warmup=200, half_life=6000):
    """Linear warm-up, then halving every `half_life` steps: no end step needs fixing in advance."""
    if step < warmup:
        return base * (step + 1) / warmup
    return base * 0.5 ** ((step - warmup) / half_life)


def save_checkpoint(path, model, optimiser, step):
    tmp = path.with_suffix(".tmp")
    torch.save({"model": model.state_dict(), "optimiser": optimiser.state_dict(), "step": step}, tmp)
    tmp.replace(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", default=str(HERE / "runs" / "light"))
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--steps", type=int, default=1_000_000, help="stop after this many steps in total")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--size", type=int, default=160, help="training crop side, a multiple of 8")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--checkpoint-minutes", type=float, default=3.0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--fg-dir", default=str(HERE / "cache" / "foregrounds"))
    ap.add_argument("--photo-dir", default=str(HERE / "cache" / "photos"))
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    run = Path(args.run)
    run.mkdir(parents=True, exist_ok=True)
    ckpt = run / "last.pt"
    log = open(run / "train.log", "a", buffering=1)

    model = FBALight()
    optimiser = torch.optim.Adam(model.parameters(), lr=args.lr)
    step = 0
    if args.resume:
        if not ckpt.exists():
            raise SystemExit(f"--resume: no checkpoint at {ckpt}")
        state = torch.load(ckpt, map_location="cpu")
        model.load_state_dict(state["model"])
        optimiser.load_state_dict(state["optimiser"])
        step = state["step"]
        log.write(f"resumed at step {step}\n")
    else:
        # Start alpha mid-way so the clamp in the head passes gradients from the first step.
        with torch.no_grad():
            model.decoder.up1[-1].bias[0] = 0.5
        log.write(f"fresh run: {vars(args)}\n")

    stream = SyntheticStream(args.fg_dir, args.photo_dir, args.batch, args.size, args.seed * 1_000_003 + step)
    loader = torch.utils.data.DataLoader(stream, batch_size=None, num_workers=1, prefetch_factor=4,
                                         persistent_workers=True)
    model.train()
    last_save = time.time()
    window, t0 = [], time.time()
    for batch in loader:
        if step >= args.steps:
            break
        for group in optimiser.param_groups:
            group["lr"] = learning_rate(step, args.lr)
        output = model(batch["image"], batch["trimap2"], batch["image_n"], batch["trimap6"])
        terms = fba_losses(output, batch)
        optimiser.zero_grad(set_to_none=True)
        terms["total"].backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        optimiser.step()
        step += 1
        window.append({k: v.item() for k, v in terms.items()})
        if step % 25 == 0:
            mean = {k: np.mean([w[k] for w in window]) for k in window[0]}
            rate = (time.time() - t0) / len(window)
            log.write(f"step {step} lr {learning_rate(step, args.lr):.2e} s/step {rate:.2f} "
                      + " ".join(f"{k} {v:.4f}" for k, v in mean.items()) + "\n")
            window, t0 = [], time.time()
            if not math.isfinite(mean["total"]):
                raise SystemExit("loss is not finite; resume from the last checkpoint with a lower --lr")
        if time.time() - last_save > args.checkpoint_minutes * 60:
            save_checkpoint(ckpt, model, optimiser, step)
            last_save = time.time()
    save_checkpoint(ckpt, model, optimiser, step)
    log.write(f"stopped at step {step}\n")


if __name__ == "__main__":
    main()
