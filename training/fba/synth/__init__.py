"""Synthetic matting data with exact ground truth: procedural foregrounds over real photographs."""
