"""A trained model as a Python object, as a notebook uses it:
`vae_digits.train(...)`, `vae_digits.load(...)` and every look at the
model, their agreement with the pictures `generate` writes, their errors,
and calls from several threads."""
import json
import os
import shutil
import threading
import time

import imageio.v3 as iio
import numpy as np
import pytest

import vae_digits
from tests.helpers import read_real_test_digits
from tests.test_cli import run_module
from vae_digits.core.errors import UserError
from vae_digits.pictures.grids import tile


@pytest.fixture(scope="module")
def conv_dir(tmp_path_factory, small_mnist):
    """A conv model trained 2 epochs through the Python API."""
    root = tmp_path_factory.mktemp("trained_conv")
    returned = vae_digits.train(
        model="conv", epochs=2, data_path=small_mnist, seed=3,
        checkpoint_dir=root / "checkpoints", result_dir=root / "results")
    return dict(root=root, checkpoint_dir=returned, data=small_mnist)


@pytest.fixture(scope="module")
def conv(conv_dir):
    with vae_digits.load(conv_dir["checkpoint_dir"]) as vae:
        yield vae


@pytest.fixture(scope="module")
def test_digits():
    images, labels = read_real_test_digits()
    return images[:60] / 255., labels[:60]


def test_train_from_python_runs_the_command_and_returns_its_directory(
        conv_dir):
    root = conv_dir["root"]
    assert conv_dir["checkpoint_dir"] == str(root / "checkpoints")
    assert sorted(name for name in os.listdir(root / "checkpoints")
                  if name.startswith("vae.epoch.")) == [
        "vae.epoch.2.ckpt.data-00000-of-00001", "vae.epoch.2.ckpt.index",
        "vae.epoch.2.ckpt.meta"]
    with open(str(root / "checkpoints" / "model_config.json")) as f:
        stored = json.load(f)
    assert stored["data_path"] == os.path.abspath(conv_dir["data"])
    assert os.path.exists(root / "results" / "latent.gif")
    assert os.path.exists(root / "checkpoints" / ".lock")


@pytest.mark.parametrize("options,error,fragment", [
    (dict(epoch=3), TypeError, "unknown keyword 'epoch'"),
    (dict(epochs=0), ValueError, "--epochs: must be a positive integer"),
    (dict(z_dim="two"), ValueError, "--z-dim"),
], ids=["unknown keyword", "zero epochs", "bad z_dim"])
def test_train_from_python_refuses_bad_arguments(options, error, fragment,
                                                  tmp_path):
    with pytest.raises(error) as caught:
        vae_digits.train(model="conv", checkpoint_dir=tmp_path / "c",
                         result_dir=tmp_path / "r", **options)
    assert fragment in str(caught.value)
    assert os.listdir(tmp_path) == []


def test_loaded_model_describes_itself(conv, conv_dir):
    assert (conv.model, conv.dataset, conv.epoch, conv.z_dim,
            conv.code_dim) == ("conv", "mnist", 2, 2, 2)
    assert conv.checkpoint == os.path.join(conv_dir["checkpoint_dir"],
                                           "vae.epoch.2.ckpt")
    assert conv.hparams["kl_weight"] == 1. and conv.hparams["z_dim"] == 2
    assert conv.class_names == [str(k) for k in range(10)]
    assert not conv.has_labels and not conv.binarized


def test_encode_and_reconstruct_take_one_image_or_many(conv, test_digits):
    images = test_digits[0][:20]
    means, stds = conv.encode(images, std=True)
    assert means.shape == stds.shape == (20, 2) and np.all(stds > 0)
    reconstructions = conv.reconstruct(images)
    assert reconstructions.shape == (20, 28, 28)
    # each image's own, in order, as alone
    np.testing.assert_allclose(conv.reconstruct(images[7]),
                               reconstructions[7:8], atol=1e-6)
    # one [28, 28] image is one image
    np.testing.assert_allclose(conv.encode(images[0]), means[:1], atol=1e-6)
    assert conv.decode([0., 0.]).shape == (1, 28, 28)


def test_a_reconstruction_looks_like_its_own_digit(trained_conditional):
    # a model that has learned (60 epochs): each of 20 test digits nearer
    # its reconstruction than the next digit is
    images, _ = read_real_test_digits()
    images = images[8000:8020] / 255.
    with vae_digits.load(trained_conditional["checkpoint_dir"]) as vae:
        reconstructions = vae.reconstruct(images)
    own = ((reconstructions - images) ** 2).sum(axis=(1, 2))
    other = ((reconstructions - np.roll(images, 1, axis=0)) ** 2).sum(
        axis=(1, 2))
    assert own.mean() < 0.5 * other.mean() and np.all(own < other)


def test_interpolation_runs_from_exactly_a_to_exactly_b(conv, test_digits):
    a, b = test_digits[0][3], test_digits[0][2]
    row = conv.interpolate(a, b, steps=7)
    assert row.shape == (7, 28, 28)
    # the ends differ by far more than the tolerance below
    assert np.abs(conv.reconstruct(a) - conv.reconstruct(b)).max() > 1e-3
    np.testing.assert_allclose(row[0], conv.reconstruct(a)[0], atol=1e-6)
    np.testing.assert_allclose(row[-1], conv.reconstruct(b)[0], atol=1e-6)
    codes = conv.encode(np.stack([a, b]))
    middle = conv.decode((codes[0] + codes[1]) / 2.)[0]
    np.testing.assert_allclose(conv.interpolate(codes[0], codes[1], 3)[1],
                               middle, atol=1e-6)


def test_samples_are_decodings_of_standard_normal_codes(conv):
    """`sample(n, seed)` decodes z ~ N(0, I) drawn by numpy's generator
    for the seed, as the docs say."""
    codes = np.random.RandomState(3).randn(5, conv.z_dim)
    np.testing.assert_allclose(conv.sample(5, seed=3), conv.decode(codes),
                               atol=1e-6)


def test_evaluate_reports_the_seconds_it_took(conv, test_digits):
    start = time.time()
    report = conv.evaluate(test_digits[0][:10], n_particles=10)
    took = time.time() - start
    assert 0 < report["seconds"] <= took + 1e-3


def test_log_likelihoods_are_each_images_bound_l_k(conv, test_digits):
    # L_K of each image, in the images' order: log mean exp of K log
    # weights drawn independently estimates the same number (two such
    # estimates differ by up to about 0.3 nats here, and have a long tail)
    images = test_digits[0][:12]
    estimates = conv.log_likelihoods(images, n_particles=400, batch_size=5)
    assert estimates.shape == (12,)
    log_weights = conv.log_weights(images, n_particles=400)
    l_k = np.logaddexp.reduce(log_weights, axis=1) - np.log(400)
    np.testing.assert_allclose(estimates, l_k, atol=1.5)
    # the images lie far further apart than that tolerance
    assert np.ptp(l_k) > 30.
    assert np.mean(estimates) == pytest.approx(conv.evaluate(
        images, n_particles=400)["log_likelihood"], abs=0.5)


def test_the_conditional_models_calls_say_what_they_need(
        trained_conditional):
    images = np.zeros((2, 28, 28))
    calls = [
        (lambda vae: vae.evaluate(images), "the conditional model's figures "
         "need the images' labels: pass labels=[...]."),
        (lambda vae: vae.log_likelihoods(images), "the conditional model has "
         "no log-likelihood estimate: its decoder reads the digit too."),
        (lambda vae: vae.draw([1, 2], n=0), "n must be at least 1, got 0."),
    ]
    with vae_digits.load(trained_conditional["checkpoint_dir"]) as vae:
        for call, message in calls:
            with pytest.raises(ValueError) as caught:
                call(vae)
            assert str(caught.value) == message


def test_seeded_looks_repeat_and_differ_between_seeds(conv, test_digits):
    np.testing.assert_array_equal(conv.sample(5, seed=1),
                                  conv.sample(5, seed=1))
    assert np.abs(conv.sample(5, seed=1) - conv.sample(5, seed=2)).max() \
        > 1e-4
    image = test_digits[0][0]
    quiet = conv.vary(image, 50, std_noise=-5., seed=0)
    noisy = conv.vary(image, 50, std_noise=1.4, seed=0)
    assert quiet.std(axis=0).mean() < noisy.std(axis=0).mean()


@pytest.mark.parametrize("std_noise", [0., 0.7, 1.4])
def test_vary_draws_codes_of_the_documented_spread(conv, test_digits,
                                                   monkeypatch, std_noise):
    # the codes vary decodes (the slider's, generate's), 4,000 of them:
    # z ~ N(mean, (std * e^std_noise)^2), q's mean and std as encode gives
    image = test_digits[0][0]
    [mean], [std] = conv.encode(image, std=True)
    drawn = []
    monkeypatch.setattr(conv, "decode", lambda codes: drawn.append(
        np.array(codes)) or np.zeros((len(codes), 28, 28)))
    conv.vary(image, 4000, std_noise=std_noise, seed=0)
    [codes] = drawn
    spread = std * np.exp(std_noise)
    np.testing.assert_allclose(codes.std(axis=0), spread, rtol=0.05)
    assert np.all(np.abs(codes.mean(axis=0) - mean) < 4 * spread / 4000 ** .5)


def test_generate_writes_the_arrays_the_object_returns(conv, conv_dir,
                                                       tmp_path,
                                                       test_digits):
    result = run_module("vae_digits.generate", "--seed", "4", "--std-noise",
                        "1.4", "--digits", "3", "2", "--checkpoint-dir",
                        conv_dir["checkpoint_dir"], "--result-dir",
                        str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(
        f"Wrote random_samples.png, 0.png, 1.png from {conv.checkpoint} to {tmp_path}")
    np.testing.assert_array_equal(
        iio.imread(str(tmp_path / "random_samples.png")),
        tile(conv.sample(100, seed=4)))
    for name, index in (("0.png", 3), ("1.png", 2)):
        np.testing.assert_array_equal(
            iio.imread(str(tmp_path / name)),
            tile(conv.vary(test_digits[0][index], 100, 1.4, seed=4)))


@pytest.mark.parametrize("call,error,fragment", [
    (lambda vae: vae.decode([[0., 0., 0.]]), ValueError,
     "codes must have shape [n, 2]"),
    (lambda vae: vae.decode([[np.nan, 0.]]), ValueError, "NaN or infinite"),
    (lambda vae: vae.decode([["a", "b"]]), TypeError, "must be an array"),
    (lambda vae: vae.encode(np.zeros((2, 27, 28))), ValueError,
     "shape [n, 28, 28]"),
    (lambda vae: vae.encode(np.full((1, 28, 28), 255.)), ValueError,
     "divide 8-bit images by 255"),
    (lambda vae: vae.sample(0), ValueError, "n must be at least 1"),
    (lambda vae: vae.sample(2.5), TypeError, "n must be a whole number"),
    (lambda vae: vae.vary(np.zeros((2, 28, 28))), ValueError,
     "one image of shape [28, 28]"),
    (lambda vae: vae.vary(np.zeros((28, 28)), std_noise=float("inf")),
     ValueError, "std_noise must be finite"),
    (lambda vae: vae.interpolate(np.zeros((28, 28)), [0., 0.], steps=1),
     ValueError, "steps must be at least 2"),
    (lambda vae: vae.interpolate(np.zeros(5), [0., 0.]), ValueError,
     "a must have shape [n, 28, 28] (or one [28, 28] image"),
    (lambda vae: vae.draw(7), ValueError, "draw needs the conditional model"),
    (lambda vae: vae.classify(np.zeros((28, 28))), ValueError,
     "classify needs the conditional model"),
    (lambda vae: vae.evaluate(np.zeros((3, 28, 28)), labels=[1, 2]),
     ValueError, "one class per image"),
    (lambda vae: vae.sample(3, seed=-1), ValueError, "seed must be at least"),
], ids=["code length", "NaN", "strings", "image shape", "8-bit", "n 0",
        "n float", "vary two", "inf noise", "one step", "end size", "draw",
        "classify", "labels count", "negative seed"])
def test_bad_arguments_raise_one_clear_sentence(conv, call, error, fragment):
    with pytest.raises(error) as caught:
        call(conv)
    message = str(caught.value)
    assert fragment in message and "\n" not in message
    assert message.endswith(".")


def test_calls_from_threads_get_what_one_call_gets(conv):
    codes = np.random.RandomState(0).randn(64, 2)
    expected = conv.decode(codes)
    results, errors = [], []

    def work():
        try:
            for _ in range(20):
                results.append(conv.decode(codes))
        except Exception as e:  # noqa: BLE001 (reported below)
            errors.append(e)
    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(results) == 80
    for result in results:
        np.testing.assert_array_equal(result, expected)


def test_a_closed_model_says_so_and_no_call_adds_to_its_graph(conv_dir):
    vae = vae_digits.load(conv_dir["checkpoint_dir"])
    assert vae._session.graph.finalized
    vae.decode([[0., 0.]])
    vae.close()
    with pytest.raises(ValueError, match="this model is closed"):
        vae.decode([[0., 0.]])
    vae.close()  # twice is fine


def test_load_skips_an_unreadable_newest_checkpoint(conv_dir, tmp_path,
                                                    capfd):
    directory = tmp_path / "c"
    shutil.copytree(conv_dir["checkpoint_dir"], str(directory))
    for name in os.listdir(str(directory)):
        if name.startswith("vae.epoch.2.ckpt"):
            shutil.copy(str(directory / name),
                        str(directory / name.replace(".2.", ".5.")))
    data = directory / "vae.epoch.5.ckpt.data-00000-of-00001"
    data.write_bytes(data.read_bytes()[:100])  # truncated
    with vae_digits.load(str(directory)) as vae:
        assert vae.epoch == 2
    warning = capfd.readouterr().err.strip()
    assert warning.startswith(f"warning: skipping checkpoint {directory}/vae.epoch.5"
                              ".ckpt: its files are truncated or "
                              "unreadable"), warning
    with pytest.raises(UserError, match="truncated or unreadable"):
        vae_digits.load(str(directory / "vae.epoch.5.ckpt"))


@pytest.mark.parametrize("make,fragment", [
    (lambda tmp: tmp / "vae.epoch.3.ckpt", "(its .index file is missing)"),
    (lambda tmp: tmp / "conv_vae", "no checkpoint directory"),
    (lambda tmp: tmp, "no checkpoint in"),
], ids=["missing checkpoint", "missing directory", "empty directory"])
def test_load_of_nothing_says_what_to_do(make, fragment, tmp_path):
    with pytest.raises(UserError) as caught:
        vae_digits.load(str(make(tmp_path)))
    assert fragment in str(caught.value)


def test_a_directory_of_the_original_script_holds_the_blogs_model(
        small_mnist, tmp_path, test_digits):
    checkpoint_dir = vae_digits.train(
        epochs=1, data_path=small_mnist, seed=1, train_images=256,
        checkpoint_dir=tmp_path / "c", result_dir=tmp_path / "r")
    os.remove(os.path.join(checkpoint_dir, "model_config.json"))
    with vae_digits.load(checkpoint_dir, seed=0) as vae:  # seeded particles
        assert (vae.model, vae.z_dim, vae.epoch) == ("mlp", 40, 1)
        assert vae.binarized
        # grey images are binarised from a fixed seed: one image, one code
        image = test_digits[0][0]
        np.testing.assert_array_equal(vae.encode(image), vae.encode(image))
        np.testing.assert_array_equal(
            vae.decode(vae.encode(test_digits[0][:5])),
            vae.reconstruct(test_digits[0][:5]))
        figures = vae.evaluate(test_digits[0][:40], n_particles=5)
        means, stds = vae.encode(test_digits[0][:40], std=True)
    assert figures["n_test"] == 40 and figures["n_particles"] == 5
    # the ELBO's parts, computed apart, add up to minus the lower bound
    assert figures["lower_bound"] == pytest.approx(
        -(figures["reconstruction"] + figures["kl"]), rel=1e-5)
    # the KL term, log q(z | x) - log p(z) at one draw of z per image, is
    # the encoder's analytic KL within four of its standard errors: per
    # dimension the draw's variance is mean^2 std^2 + (std^2 - 1)^2 / 2
    variances = stds ** 2
    kl = 0.5 * np.sum(means ** 2 + variances - np.log(variances) - 1, axis=1)
    error = np.sqrt(np.sum(means ** 2 * variances
                           + (variances - 1) ** 2 / 2)) / 40
    assert abs(figures["kl"] - kl.mean()) < 4 * error, (figures["kl"],
                                                         kl.mean(), error)
