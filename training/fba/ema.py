"""An exponential moving average of a network's weights.

The dev score of every run so far swings by about 0.3 SAD between checkpoints a few hundred steps apart
while the training loss keeps falling: single snapshots are noisy samples of a wandering network. The
average of the recent weights sits in the middle of that wandering, so it is what a run scores on the
dev set and what export ships."""
import torch


class WeightAverage:
    def __init__(self, model, decay):
        if not 0.0 < decay < 1.0:
            raise ValueError(f"EMA decay must be between 0 and 1 (exclusive), got {decay}")
        self.decay = decay
        self.average = {k: v.detach().clone() for k, v in model.state_dict().items()}

    @torch.no_grad()
    def update(self, model):
        for key, value in model.state_dict().items():
            mean = self.average[key]
            if mean.is_floating_point():
                mean.lerp_(value, 1.0 - self.decay)
            else:
                mean.copy_(value)

    def state_dict(self):
        return {k: v.clone() for k, v in self.average.items()}

    def load_state_dict(self, state):
        if set(state) != set(self.average):
            raise ValueError("EMA state does not match the network's keys")
        for key, value in state.items():
            self.average[key].copy_(value)

    def copy_to(self, model):
        model.load_state_dict(self.average)
