"""Training: a run, its loop and its record.

Layer 7: imports every layer below it (`core` to `pictures`).
- run: a training run, checked before TensorFlow starts, under locks;
- loop: the epochs, their lines, tests, pictures and checkpoints;
- record: metrics.csv and TensorBoard's events;
- locking: one training run per directory.
"""
