"""The contract every registered model keeps (models/base.py), run for
each: its declaration, a graph built with a training step that moves the
weights, and through `vae_digits.train` a saved checkpoint that
`vae_digits.load` restores, decodes and samples from. A new model is
tested here without a test of its own."""
import json
import os

import numpy as np
import pytest

import vae_digits
from tests.helpers import session
from vae_digits import models
from vae_digits.core.compat import tf

MODEL_NAMES = sorted(models.MODELS)


def _hparams(model):
    return dict(model=model.name, dataset="mnist", x_dim=784,
                **{h.name: h.default for h in model.hyperparameters})


def _small_set(small_mnist):
    x, t = vae_digits.data.load_mnist_test(small_mnist, one_hot=False)
    return x[:64], t[:64].astype(np.int32)


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_the_declaration_is_complete(name):
    model = models.get(name)
    assert model.name == name and model.summary and model.directory
    assert models.get(name) is model
    assert set(model.defaults()) == ({"epochs", "batch_size",
                                      "learning_rate"} |
                                     {h.name for h in model.hyperparameters})
    assert "z_dim" in model.defaults()
    for h in model.hyperparameters:  # the flag's text parses back
        assert h.type(h.text(h.default)) == h.default, h.name
        assert h.flag == "--" + h.name.replace("_", "-") and h.help
    known = set(vae_digits.models.base.LABELS)
    assert set(model.train_metrics + model.test_metrics
               + model.loss_curves) <= known


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_a_training_step_moves_the_weights_and_reports_finite_figures(
        name, small_mnist):
    model = models.get(name)
    x, t = _small_set(small_mnist)
    with session(seed=3) as sess:
        graph = model.build(_hparams(model), learning_rate=0.01,
                            batch_size=16)
        sess.run(tf.global_variables_initializer())
        feed = {graph.train_x: x[:16]}
        if graph.train_labels is not None:
            feed[graph.train_labels] = t[:16]
        before = sess.run(tf.trainable_variables())
        values = sess.run(graph.train_metrics, feed)
        sess.run(graph.infer_op, feed)
        after = sess.run(tf.trainable_variables())
        test_feed = {graph.x_input: x[:32]}
        if graph.n is not None:
            test_feed.update({graph.n: 32, graph.n_particles: 1})
        if graph.labels_input is not None:
            test_feed[graph.labels_input] = t[:32]
        tests = sess.run(graph.test_metrics, test_feed)
    assert model.train_metrics[0] in values
    assert all(np.isfinite(value) for value in values.values())
    assert sum(np.any(a != b) for a, b in zip(before, after)) == len(before)
    expected = {m for m in model.test_metrics if m != "log_likelihood"}
    assert expected | {"reconstruction", "kl"} <= set(tests)
    assert all(np.isfinite(value) for value in tests.values())


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_saved_loaded_decoded_and_sampled(name, small_mnist, tmp_path):
    model = models.get(name)
    x, _ = _small_set(small_mnist)
    checkpoint_dir = vae_digits.train(
        model=name, epochs=1, train_images=200, batch_size=50, seed=4,
        data_path=small_mnist, checkpoint_dir=tmp_path / "c",
        result_dir=tmp_path / "r")
    with open(os.path.join(checkpoint_dir, "model_config.json")) as f:
        recorded = json.load(f)
    assert {key: recorded[key] for key in _hparams(model)} == \
        json.loads(json.dumps(_hparams(model)))
    with vae_digits.load(checkpoint_dir) as vae:
        assert (vae.model, vae.epoch, vae.z_dim) == (
            name, 1, model.defaults()["z_dim"])
        codes = vae.codes(x[:5])
        assert codes.shape == (5, vae.code_dim)
        decoded = vae.decode(codes)
        assert decoded.shape == (5, 28, 28)
        assert decoded.min() >= 0. and decoded.max() <= 1.
        # each image's code and decoding its own: distinct, and the same
        # in a batch as alone
        assert len(np.unique(codes.round(5), axis=0)) == 5
        assert np.abs(decoded[1:] - decoded[:-1]).max(axis=(1, 2)).min() \
            > 1e-4
        np.testing.assert_allclose(vae.reconstruct(x[:5])[3:4],
                                   vae.reconstruct(x[3:4]), atol=1e-6)
        samples = vae.sample(6, seed=5)
        assert samples.shape == (6, 28, 28)
        np.testing.assert_array_equal(samples, vae.sample(6, seed=5))
        assert np.abs(samples - vae.sample(6, seed=6)).max() > 1e-4
