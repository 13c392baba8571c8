#!/usr/bin/env python3
"""The conv model of the latent-space post written as a user of Keras 3's
VAE example would write it, trained with `model.fit`: the yardstick of
`conv_speed.py`.

usage: python benchmarks/keras_conv_vae.py DATA_DIR [--epochs 3]

The same layers as `vae_digits.models.conv` (three 4x4 convolutions of 64
filters, strides 2, 2, 1; a mean and a softplus standard deviation; two
dense layers of 49 units, three 4x4 transposed convolutions of 64
filters, two dense layers of 784), the same loss (per image, the binary
cross-entropy of the grey-level pixels plus the KL divergence, averaged
over the batch), Adam at 0.0005, batch 128, shuffled every epoch. Prints
`Epoch N (T.Ts)` per epoch. TensorFlow's defaults otherwise, as a user
gets them.
"""
import argparse
import os
import time

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras import layers, ops  # noqa: E402

from vae_digits.data import load_mnist_realval  # noqa: E402

Z_DIM = 2


class Sampling(layers.Layer):
    """z = mean + std * epsilon, the reparameterisation trick."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(1337)

    def call(self, inputs):
        mean, std = inputs
        epsilon = keras.random.normal(ops.shape(mean),
                                      seed=self.seed_generator)
        return mean + std * epsilon


def encoder():
    x = keras.Input(shape=(28, 28, 1))
    h = layers.Conv2D(64, 4, strides=2, padding="same", activation="relu")(x)
    h = layers.Conv2D(64, 4, strides=2, padding="same", activation="relu")(h)
    h = layers.Conv2D(64, 4, strides=1, padding="same", activation="relu")(h)
    h = layers.Flatten()(h)
    mean = layers.Dense(Z_DIM)(h)
    std = layers.Dense(Z_DIM, activation="softplus")(h)
    return keras.Model(x, [mean, std, Sampling()([mean, std])])


def decoder():
    z = keras.Input(shape=(Z_DIM,))
    h = layers.Dense(49, activation="relu")(z)
    h = layers.Dense(49, activation="relu")(h)
    h = layers.Reshape((7, 7, 1))(h)
    for _ in range(3):
        h = layers.Conv2DTranspose(64, 4, strides=1, padding="same",
                                   activation="relu")(h)
    h = layers.Dense(784)(layers.Flatten()(h))
    return keras.Model(z, layers.Dense(784, activation="sigmoid")(h))


class VAE(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.encoder, self.decoder = encoder(), decoder()
        self.loss_tracker = keras.metrics.Mean(name="loss")

    @property
    def metrics(self):
        return [self.loss_tracker]

    def train_step(self, data):
        with tf.GradientTape() as tape:
            mean, std, z = self.encoder(data)
            reconstruction = self.decoder(z)
            flat = ops.reshape(data, (-1, 784))
            cross_entropy = ops.sum(keras.losses.binary_crossentropy(
                flat[..., None], reconstruction[..., None]), axis=1)
            kl = 0.5 * ops.sum(ops.square(mean) + ops.square(std)
                               - ops.log(ops.square(std)) - 1., axis=1)
            loss = ops.mean(cross_entropy + kl)
        gradients = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(gradients,
                                           self.trainable_weights))
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}


class EpochTimes(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.time()

    def on_epoch_end(self, epoch, logs=None):
        print("Epoch {} ({:.1f}s): Loss = {}".format(
            epoch + 1, time.time() - self.start, logs["loss"]), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     allow_abbrev=False)
    parser.add_argument("data_dir", help="MNIST-layout IDX directory")
    parser.add_argument("--epochs", type=int, default=3,
                        help="epochs to train (default: 3)")
    args = parser.parse_args()
    x_train, _, x_valid = load_mnist_realval(args.data_dir)[:3]
    images = ops.convert_to_numpy(ops.concatenate([x_train, x_valid]))
    vae = VAE()
    vae.compile(optimizer=keras.optimizers.Adam(learning_rate=0.0005))
    vae.fit(images.reshape(-1, 28, 28, 1), epochs=args.epochs,
            batch_size=128, shuffle=True, verbose=0,
            callbacks=[EpochTimes()])


if __name__ == "__main__":
    main()
