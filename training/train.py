"""Trains FBA-light on composites of real keyed people and procedural foregrounds over real photographs,
on the CPU or a GPU, resumably.

  /usr/bin/python3 training/train.py --resume                 # continue the committed run where it stopped
  /usr/bin/python3 training/train.py --init models/fba_light.onnx --step 1637 --run DIR   # warm start

Writes <run>/last.pt every --checkpoint-minutes (model, optimiser, step, run settings, and with --ema the
average of the weights) and appends to <run>/train.log; at each checkpoint it also scores the dev set
(../shared/eval, trimap 1; never trained on) into <run>/dev.csv, which training/plot_dev.py draws. With
--ema it scores, and export takes, the averaged weights.
"""
import argparse
import math
import time
from pathlib import Path

import numpy as np
import torch

from fba.checkpoint import CheckpointError, state_dict_of
from fba.dev_score import dev_errors
from fba.ema import WeightAverage
from fba.light import SMALL_DILATIONS, FBALight
from fba.losses import KNOWN_WEIGHT, fba_losses
from fba.synth.composites import load_foregrounds, make_sample
from fba.synth.engine_samples import CANVAS, engine_sample, sample_files
from fba.synth.keyed import load_keyed
from fba.synth.photos import load_pool, split_pool
from fba.warm_start import WarmStartError, freeze_batch_norm, grow, load_folded_onnx

HERE = Path(__file__).resolve().parent


class SyntheticStream(torch.utils.data.IterableDataset):
    """Endless batches; the seed depends on the starting step so a resumed run sees new samples. A share
    `real_fraction` of the samples takes its foreground from the keyed real people, the rest from the
    procedural pool. A share `engine_batches` of the batches is made of samples the engine itself cut
    (scripts/engine-training-samples.ts), at their own size; their loss weighs the trimap's sure regions by
    `engine_known_weight`. The engine overrides the network there, and where the real segmentation was
    wrong the truth contradicts the trimap, which only teaches the network to distrust it."""

    def __init__(self, fg_dir, keyed_dir, photo_dir, batch, size, seed, real_fraction, zoom_out, engine_fraction,
                 engine_dir=None, engine_batches=0.0, engine_size=CANVAS, engine_known_weight=KNOWN_WEIGHT):
        self.fg_dir, self.keyed_dir, self.photo_dir = fg_dir, keyed_dir, photo_dir
        self.batch, self.size, self.seed, self.real_fraction = batch, size, seed, real_fraction
        self.zoom_out, self.engine_fraction = zoom_out, engine_fraction
        self.engine_dir, self.engine_batches, self.engine_size = engine_dir, engine_batches, engine_size
        self.engine_known_weight = engine_known_weight

    def __iter__(self):
        torch.set_num_threads(1)
        engine_files = sample_files(self.engine_dir) if self.engine_batches > 0 else []
        # Only engine-made batches (a compact set to carry to a GPU, say): the synthetic pools are not needed.
        synthetic = self.engine_batches < 1
        procedural = load_foregrounds(self.fg_dir) if synthetic else []
        keyed = load_keyed(self.keyed_dir) if synthetic and self.real_fraction > 0 else []
        photos = split_pool(load_pool(self.photo_dir))[0] if synthetic else []
        rng = np.random.default_rng(self.seed)
        while True:
            if engine_files and rng.random() < self.engine_batches:
                samples = [engine_sample(engine_files, rng, self.engine_size) for _ in range(self.batch)]
                for s in samples:
                    s["known_weight"] = np.full((1, 1, 1), self.engine_known_weight, np.float32)
            else:
                samples = [make_sample(keyed if rng.random() < self.real_fraction else procedural, photos, rng,
                                       self.size, engine_fraction=self.engine_fraction, zoom_out=self.zoom_out)
                           for _ in range(self.batch)]
            yield {k: torch.from_numpy(np.stack([s[k] for s in samples])) for k in samples[0]}


def learning_rate(step, base, warmup=200, half_life=6000):
    """Linear warm-up, then halving every `half_life` steps: no end step needs fixing in advance."""
    if step < warmup:
        return base * (step + 1) / warmup
    return base * 0.5 ** ((step - warmup) / half_life)


def save_checkpoint(path, model, optimiser, step, settings, average=None):
    tmp = path.with_suffix(".tmp")
    state = {"model": model.state_dict(), "optimiser": optimiser.state_dict(), "step": step, "settings": settings}
    if average is not None:
        state["ema"] = average.state_dict()
    torch.save(state, tmp)
    tmp.replace(path)


# What a resumed run takes from its checkpoint rather than from the command line: changing these mid-run
# would make the committed log describe a different run.
RUN_SETTINGS = ("lr", "batch", "size", "real_fraction", "freeze_bn", "zoom_out", "ema", "engine_fraction",
                "engine_batches", "engine_known_weight")


def initial_weights(path):
    """The network stored at `path`: an exported ONNX file (Batch Norm folded) or a training checkpoint, of
    the current network or of the smaller one it grew from; a checkpoint's weight average where it has one."""
    for dilations in (None, SMALL_DILATIONS):
        model = FBALight() if dilations is None else FBALight(dilations=dilations)
        try:
            if str(path).endswith(".onnx"):
                return load_folded_onnx(model, path)
            model.load_state_dict(state_dict_of(torch.load(path, map_location="cpu"), path))
            return model
        except (WarmStartError, CheckpointError, RuntimeError):
            continue
    raise SystemExit(f"--init: {path} holds neither FBA-light network")


def score_dev(model, run, step, log, freeze_bn, average=None):
    """Dev-set errors (trimap 1) of the model, or of its weight average when there is one, into
    <run>/dev.csv and the log; the model goes back to training mode."""
    if average is not None:
        scored = FBALight()
        average.copy_to(scored)
    else:
        scored = model
    scored.eval()
    errors = dev_errors(scored)
    model.train()
    if freeze_bn:
        freeze_batch_norm(model)
    if errors is None:
        log.write(f"dev set not found at step {step}; skipped\n")
        return
    csv = run / "dev.csv"
    new = not csv.exists()
    with open(csv, "a") as f:
        if new:
            f.write("step,SAD,MSE,Grad,Conn\n")
        f.write(f"{step},{errors['SAD']:.4f},{errors['MSE']:.5f},{errors['Grad']:.4f},{errors['Conn']:.4f}\n")
    log.write(f"dev step {step} " + " ".join(f"{k} {v:.4f}" for k, v in errors.items()) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", default=str(HERE / "checkpoints" / "light-quarter"))
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--steps", type=int, default=1_000_000, help="stop after this many steps in total")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--size", type=int, default=160, help="training crop side, a multiple of 8")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--checkpoint-minutes", type=float, default=8.0)
    ap.add_argument("--minutes", type=float, help="stop (with a checkpoint) after this much wall time")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--real-fraction", type=float, default=0.5, help="share of samples with a keyed real person")
    ap.add_argument("--zoom-out", type=float, default=0.0,
                    help="share of samples whose foreground is shrunk into the crop (the live path's scale)")
    ap.add_argument("--init", help="start from an exported FBA-light (.onnx) or a checkpoint (.pt) of it, of this "
                    "network or of the one with fewer stride-8 blocks (grown to this one); Batch Norm stays frozen")
    ap.add_argument("--step", type=int, default=0, help="with --init: the step that model was at")
    ap.add_argument("--engine-trimaps", type=float, default=0.5,
                    help="share of samples whose trimap is made as the engine makes it, from a simulated "
                    "segmentation (the rest are drawn as benchmark trimaps are)")
    ap.add_argument("--ema", type=float, default=0.0,
                    help="decay of an exponential moving average of the weights (0.999 = about the last 1000 "
                    "steps); 0 for none")
    ap.add_argument("--engine-batches", type=float, default=0.0,
                    help="share of batches made of samples the engine cut itself (--engine-dir), the rest synthetic")
    ap.add_argument("--engine-dir", default=str(HERE / "cache" / "engine"))
    ap.add_argument("--engine-known-weight", type=float, default=KNOWN_WEIGHT,
                    help="loss weight of the trimap's sure regions in engine-made batches (the band weighs 1)")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--workers", type=int, default=1, help="data-loading processes")
    ap.add_argument("--fg-dir", default=str(HERE / "cache" / "foregrounds"))
    ap.add_argument("--keyed-dir", default=str(HERE / "cache" / "keyed"))
    ap.add_argument("--photo-dir", default=str(HERE / "cache" / "photos"))
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    run = Path(args.run)
    run.mkdir(parents=True, exist_ok=True)
    ckpt = run / "last.pt"
    log = open(run / "train.log", "a", buffering=1)

    model = FBALight()
    step = 0
    settings = {"lr": args.lr, "batch": args.batch, "size": args.size, "real_fraction": args.real_fraction,
                "freeze_bn": bool(args.init), "zoom_out": args.zoom_out, "ema": args.ema,
                "engine_fraction": args.engine_trimaps, "engine_batches": args.engine_batches,
                "engine_known_weight": args.engine_known_weight}
    state = None
    if args.resume:
        if not ckpt.exists():
            raise SystemExit(f"--resume: no checkpoint at {ckpt}; start a run with --init-onnx or without --resume")
        state = torch.load(ckpt, map_location="cpu")
        model.load_state_dict(state["model"])
        step = state["step"]
        settings.update({k: v for k, v in state.get("settings", {}).items() if k in RUN_SETTINGS})
        log.write(f"resumed at step {step} on {args.device}: {settings}\n")
    elif args.init:
        step = args.step
        model = grow(initial_weights(args.init), model)
        log.write(f"warm start from {args.init} at step {step}: {vars(args)}\n")
    else:
        # Start alpha mid-way so the clamp in the head passes gradients from the first step.
        with torch.no_grad():
            model.decoder.up1[-1].bias[0] = 0.5
        log.write(f"fresh run: {vars(args)}\n")
    model.to(args.device)
    optimiser = torch.optim.Adam(model.parameters(), lr=settings["lr"])
    if state is not None:
        optimiser.load_state_dict(state["optimiser"])
    average = WeightAverage(model, settings["ema"]) if settings.get("ema") else None
    if average is not None and state is not None and "ema" in state:
        average.load_state_dict(state["ema"])

    stream = SyntheticStream(args.fg_dir, args.keyed_dir, args.photo_dir, settings["batch"], settings["size"],
                             args.seed * 1_000_003 + step, settings["real_fraction"], settings.get("zoom_out", 0.0),
                             settings.get("engine_fraction", 0.5), engine_dir=args.engine_dir,
                             engine_batches=settings.get("engine_batches", 0.0),
                             engine_known_weight=settings.get("engine_known_weight", KNOWN_WEIGHT))
    loader = torch.utils.data.DataLoader(stream, batch_size=None, num_workers=args.workers, prefetch_factor=4,
                                         persistent_workers=True)
    model.train()
    if settings["freeze_bn"]:
        freeze_batch_norm(model)
    if not (run / "dev.csv").exists():
        score_dev(model, run, step, log, settings["freeze_bn"], average)
    last_save = time.time()
    window, t0 = [], time.time()
    started = time.time()
    for batch in loader:
        if step >= args.steps or (args.minutes and time.time() - started > args.minutes * 60):
            break
        for group in optimiser.param_groups:
            group["lr"] = learning_rate(step, settings["lr"])
        batch = {k: v.to(args.device) for k, v in batch.items()}
        output = model(batch["image"], batch["trimap2"], batch["image_n"], batch["trimap6"])
        terms = fba_losses(output, batch)
        optimiser.zero_grad(set_to_none=True)
        terms["total"].backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        optimiser.step()
        if average is not None:
            average.update(model)
        step += 1
        window.append({k: v.item() for k, v in terms.items()})
        if step % 25 == 0:
            mean = {k: np.mean([w[k] for w in window]) for k in window[0]}
            rate = (time.time() - t0) / len(window)
            log.write(f"step {step} lr {learning_rate(step, settings['lr']):.2e} s/step {rate:.2f} "
                      f"samples/s {settings['batch'] / rate:.1f} "
                      + " ".join(f"{k} {v:.4f}" for k, v in mean.items()) + "\n")
            window, t0 = [], time.time()
            if not math.isfinite(mean["total"]):
                raise SystemExit("loss is not finite; resume from the last checkpoint with a lower --lr")
        if time.time() - last_save > args.checkpoint_minutes * 60:
            save_checkpoint(ckpt, model, optimiser, step, settings, average)
            score_dev(model, run, step, log, settings["freeze_bn"], average)
            last_save = time.time()
    save_checkpoint(ckpt, model, optimiser, step, settings, average)
    log.write(f"stopped at step {step}\n")


if __name__ == "__main__":
    main()
