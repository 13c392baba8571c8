"""`python -m vae_digits.train`, held still at one chosen moment so that
a test can kill it exactly there.

PAUSE_AT="<where> <epoch>" names the moment; the process prints
`PAUSE <where> <epoch>` and waits, until killed or until the file named
by PAUSE_RESUME exists (at most a minute), then goes on:
- `mid-epoch N`: half of epoch N's batches are done;
- `checkpoint-written N`: TensorFlow has written checkpoint N under its
  hidden name, none of it is renamed into place;
- `checkpoint-renaming N`: checkpoint N's data file has just been renamed
  into place (whatever else has or has not).
Nothing else in training changes.
"""
import os
import sys
import time

from vae_digits import train
from vae_digits.checkpoints import saving
from vae_digits.core.compat import tf
from vae_digits.training import loop as cli

PAUSE_AT = os.environ.get("PAUSE_AT", "")


def pause(where, epoch):
    if f"{where} {epoch}" == PAUSE_AT:
        print("PAUSE " + PAUSE_AT, flush=True)
        resume = os.environ.get("PAUSE_RESUME", "")
        for _ in range(600):
            if resume and os.path.exists(resume):
                return
            time.sleep(0.1)


def progress_bar(iterable, desc=None):
    items = list(iterable)
    for i, item in enumerate(items):
        if desc and desc.startswith("Epoch ") and i == len(items) // 2:
            pause("mid-epoch", desc.split()[1])
        yield item


def saver_save(self, sess, save_path, **kwargs):
    result = real_saver_save(self, sess, save_path, **kwargs)
    pause("checkpoint-written", os.path.basename(save_path).split(".")[-2])
    return result


def replace(source, destination):
    real_replace(source, destination)
    if saving.PARTIAL_PREFIX in source and ".data-" in source:
        pause("checkpoint-renaming", os.path.basename(source).split(".")[-3])


real_saver_save, real_replace = tf.train.Saver.save, os.replace
cli.progress_bar = progress_bar
tf.train.Saver.save = saver_save
saving.os.replace = replace

if __name__ == "__main__":
    train.main(sys.argv[1:])
