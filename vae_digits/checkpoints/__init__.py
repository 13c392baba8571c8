"""Checkpoints on disk: names, the model configuration beside them, and
saving and restoring a session's variables safely.

Layer 4: imports `core` and `models`.
- names: vae.epoch.N.ckpt, the complete ones, the newest;
- model_config: model_config.json, read, checked and written;
- saving: atomic saves, rotation, restoring the newest readable one.
"""
