"""`--format projector`: the latent space in TensorBoard's Projector tab.

A directory that `tensorboard --logdir DIR` shows (PCA, t-SNE, UMAP in
3-D, each point drawn as its image), written without the projector
plugin's own Python helpers:
- `embedding.ckpt.*` and its `checkpoint` state file: a TensorFlow
  checkpoint holding one variable, `latent_means` [n, z_dim], the
  encoder's means of the first n test images (TrainedModel.encode: the
  blog's model reads a grey pixel as 1 from 0.5 up, as it always does);
- `metadata.tsv`: a header `index<TAB>label`, then each image's index in
  the test set and its class name (the digit, for MNIST);
- `sprite.png`: the images, dark on light, 28 x 28 pixels each, row by
  row in a square grid (100 x 100 images at most: 2,800 pixels a side);
- `projector_config.pbtxt`: the text protobuf that ties them together.
"""
from __future__ import annotations

import math
import os

import imageio.v3 as iio
import numpy as np

from vae_digits.core.compat import tf
from vae_digits.core.config import IMAGE_SHAPE
from vae_digits.pictures.grids import tile
from vae_digits.trained import TrainedModel

__all__ = ["write_projector", "TENSOR_NAME", "CONFIG_NAME", "METADATA_NAME",
           "SPRITE_NAME"]

TENSOR_NAME = "latent_means"
CONFIG_NAME = "projector_config.pbtxt"  # the name the plugin looks for
METADATA_NAME = "metadata.tsv"
SPRITE_NAME = "sprite.png"
CHECKPOINT_NAME = "embedding.ckpt"
_CONFIG = f"""embeddings {{
  tensor_name: "{TENSOR_NAME}"
  metadata_path: "{METADATA_NAME}"
  sprite {{
    image_path: "{SPRITE_NAME}"
    single_image_dim: {IMAGE_SHAPE[1]}
    single_image_dim: {IMAGE_SHAPE[0]}
  }}
}}
"""


def write_projector(vae: TrainedModel, directory: str,
                    test_set: tuple[np.ndarray, np.ndarray, list[str]]
                    ) -> str:
    """Write the projector files of `vae` for `test_set` (images [n, 784]
    in [0, 1], their integer labels, the class names) into the empty
    `directory`; returns what it shows, in words."""
    images, labels, class_names = test_set
    images = np.reshape(images, (-1,) + IMAGE_SHAPE)
    _write_checkpoint(vae.encode(images), directory)
    with open(os.path.join(directory, METADATA_NAME), "w",
              encoding="utf-8") as f:
        f.write("index\tlabel\n")
        f.writelines(f"{index}\t{class_names[label]}\n"
                     for index, label in enumerate(labels))
    iio.imwrite(os.path.join(directory, SPRITE_NAME), sprite(images),
                extension=".png")
    with open(os.path.join(directory, CONFIG_NAME), "w",
              encoding="utf-8") as f:
        f.write(_CONFIG)
    return f"the codes of {len(images):,} test images"


def sprite(images: np.ndarray) -> np.ndarray:
    """The uint8 sprite of `images` ([n, 28, 28] in [0, 1]): dark ink on
    white, in a square grid filled row by row, white where images run
    out."""
    side = max(1, math.ceil(math.sqrt(len(images))))
    blank = np.zeros((side * side - len(images),) + IMAGE_SHAPE)
    return 255 - tile(np.concatenate([images, blank]), (side, side))


def _write_checkpoint(codes, directory):
    """A checkpoint in `directory` holding `codes` as the variable
    TENSOR_NAME, with a `checkpoint` state file of relative paths (the
    directory is renamed once written)."""
    with tf.Graph().as_default():
        value = tf.placeholder(tf.float32, codes.shape)
        variable = tf.Variable(value, name=TENSOR_NAME)
        saver = tf.train.Saver([variable], save_relative_paths=True)
        with tf.Session() as session:
            session.run(variable.initializer, {value: codes})
            saver.save(session, os.path.join(directory, CHECKPOINT_NAME),
                       write_meta_graph=False)
