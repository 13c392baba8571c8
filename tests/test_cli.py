"""Smoke tests of the real command lines on a small real-digit MNIST set:
train one epoch, resume to two, generate, and the errors users meet."""
import math
import os
import re
import subprocess
import sys

import imageio.v3 as iio
import numpy as np
import pytest

from tests import commands
from tests.helpers import judge_digits, read_real_test_digits, write_idx_dir
from vae_digits import evaluate, generate, train
from vae_digits.core.compat import tf

EPOCH_LINE = re.compile(r"^Epoch (\d+) \((\d+\.\d)s\): Lower bound = (\S+)$")
DIGIT_FILES = [f"{i}.png" for i in range(10)]


def run_module(module, *args, cwd=None):
    """`python -m module args`, as a process of its own (tests/commands.py)."""
    return commands.run(module, *args, cwd=cwd, timeout=900)


def lower_bounds(stdout):
    return {int(m.group(1)): float(m.group(3)) for m in
            (EPOCH_LINE.match(line) for line in stdout.splitlines()) if m}


@pytest.fixture(scope="module")
def runs(tmp_path_factory, small_mnist):
    """train 1 epoch, train again to epoch 2, generate --std-noise 1.4."""
    root = tmp_path_factory.mktemp("cli")
    checkpoints = str(root / "checkpoints")
    inputs = ["--data-path", small_mnist, "--checkpoint-dir", checkpoints]
    dirs = inputs + ["--result-dir", str(root / "results")]
    first = run_module("vae_digits.train", "--epochs", "1", "--seed", "5",
                       *dirs)
    after_first = sorted(os.listdir(checkpoints))
    results_after_first = sorted(os.listdir(str(root / "results")))
    second = run_module("vae_digits.train", "--epochs", "2", *dirs)
    generated = run_module("vae_digits.generate", "--std-noise", "1.4",
                           "--result-dir", str(root / "generated"), *inputs)
    return dict(root=root, checkpoints=checkpoints, inputs=inputs, dirs=dirs,
                first=first, second=second, generated=generated,
                after_first=after_first,
                results_after_first=results_after_first)


def test_train_one_epoch_prints_the_blog_lines_and_saves(runs):
    assert runs["first"].returncode == 0, runs["first"].stderr
    lines = runs["first"].stdout.splitlines()
    assert EPOCH_LINE.match(lines[0]) and lines[1:3] == ["Saving model...",
                                                         "Done"]
    assert lines[3] == ("Checkpoints are in {}; pictures, metrics.csv and "
                        "TensorBoard's logs in {}".format(
                            runs["checkpoints"], runs["root"] / "results"))
    lower_bound = lower_bounds(runs["first"].stdout)[1]
    # one epoch over 1,000 digits: well below 0, and well above what a net
    # that never trains scores (about -549; 784 log 0.5 is -543)
    assert math.isfinite(lower_bound) and -480. < lower_bound < -250.
    assert "vae.epoch.1.ckpt.index" in runs["after_first"]
    assert "model_config.json" in runs["after_first"]
    assert runs["results_after_first"] == sorted(DIGIT_FILES + [
        "random_samples.png", "vae.epoch.1.png", "metrics.csv", "logs",
        "curves.png", ".lock"])


def test_training_again_restores_and_runs_only_epoch_2(runs):
    assert runs["second"].returncode == 0, runs["second"].stderr
    lines = runs["second"].stdout.splitlines()
    assert lines[0] == "Restoring model from {}...".format(
        os.path.join(runs["checkpoints"], "vae.epoch.1.ckpt"))
    assert list(lower_bounds(runs["second"].stdout)) == [2]
    assert os.path.isfile(os.path.join(runs["checkpoints"],
                                       "vae.epoch.2.ckpt.index"))


def test_generate_writes_eleven_grayscale_grids(runs):
    assert runs["generated"].returncode == 0, runs["generated"].stderr
    out = runs["root"] / "generated"
    assert sorted(os.listdir(str(out))) == sorted(
        DIGIT_FILES + ["random_samples.png"])
    for name in os.listdir(str(out)):
        image = iio.imread(str(out / name))
        assert image.shape == (280, 280) and image.dtype == np.uint8
        assert image.max() > 0


def test_same_seed_gives_the_same_first_epoch(runs, tmp_path, small_mnist):
    again = run_module("vae_digits.train", "--epochs", "1", "--seed", "5",
                       "--data-path", small_mnist,
                       "--checkpoint-dir", str(tmp_path / "c"),
                       "--result-dir", str(tmp_path / "r"))
    assert again.returncode == 0, again.stderr
    assert lower_bounds(again.stdout) == lower_bounds(runs["first"].stdout)


# The first epoch's line of `train --seed 5` on small_mnist, as the default
# path printed it when docs/performance.md measured its speed: a faster
# step that changed the math or the random stream would move it by far
# more than the last digits that differ between CPUs.
SEED_5_FIRST_EPOCH = -403.6747


def test_the_default_paths_seeded_line_is_unchanged(runs):
    assert lower_bounds(runs["first"].stdout)[1] == pytest.approx(
        SEED_5_FIRST_EPOCH, abs=0.01)


def test_spread_of_a_digit_grows_with_std_noise(runs, tmp_path):
    spreads = []
    for noise in ("0", "1.4"):
        out = str(tmp_path / noise)
        with tf.Graph().as_default():
            generate.main(["--std-noise", noise, "--digits", "3", "--seed",
                           "2", "--result-dir", out] + runs["inputs"])
        grid = iio.imread(os.path.join(out, "0.png")).astype(float) / 255.
        samples = grid.reshape(10, 28, 10, 28).transpose(0, 2, 1, 3)
        spreads.append(samples.reshape(100, 784).var(axis=0).mean())
    assert spreads[1] > 2 * spreads[0]


def test_on_a_held_out_split_the_pictures_show_0_to_9(runs, tmp_path,
                                                     capsys):
    """The last 2,000 real test digits as the test set: the blog's
    indices hold other digits there, so the first of each is drawn."""
    images, labels = read_real_test_digits()
    split = write_idx_dir(str(tmp_path / "split"), images[:100],
                          labels[:100], images[8000:], labels[8000:])
    out = str(tmp_path / "out")
    with tf.Graph().as_default():
        generate.main(["--mode", "reconstruct", "--data-path", split,
                       "--checkpoint-dir", runs["checkpoints"],
                       "--result-dir", out])
    assert capsys.readouterr().out.count("instead: ") == 1
    grid = iio.imread(os.path.join(out, "reconstructions.png")) / 255.
    inputs = grid[:28].reshape(28, 10, 28).transpose(1, 0, 2)
    assert [judge_digits(image) for image in inputs] == list(range(10))


def test_scale_draws_each_pixel_n_by_n_and_captions_name_each_digit(
        runs, tmp_path, capsys):
    from vae_digits.pictures.grids import caption_band
    flags = ["--digits", "3", "--n-samples", "4", "--seed", "2"] + \
        runs["inputs"]
    with tf.Graph().as_default():
        generate.main(flags + ["--result-dir", str(tmp_path / "plain")])
        generate.main(flags + ["--result-dir", str(tmp_path / "big"),
                               "--scale", "3", "--captions"])
    plain, big = ({name: iio.imread(str(tmp_path / where / name))
                   for name in ("random_samples.png", "0.png")}
                  for where in ("plain", "big"))
    assert plain["0.png"].shape == (28, 112)  # the posts' own: no caption

    def scaled(image):
        return np.repeat(np.repeat(image, 3, axis=0), 3, axis=1)
    np.testing.assert_array_equal(big["random_samples.png"],
                                  scaled(plain["random_samples.png"]))
    band = 14 * 3
    np.testing.assert_array_equal(big["0.png"][band:], scaled(plain["0.png"]))
    # test image 3 of the small set is a 0
    np.testing.assert_array_equal(big["0.png"][:band], caption_band(
        336, 3, "digit 0 (test image 3)"))
    assert big["0.png"][:band].max() == 255
    capsys.readouterr()
    assert_one_line_error(capsys, lambda: generate.main(
        runs["inputs"] + ["--n-samples", "10000", "--scale", "2",
                          "--result-dir", str(tmp_path / "huge")]), 1,
        "--scale 2 would make a picture 56,000 pixels on a side, more than "
        "the 10,000 a picture may have; pass --scale 1.")
    assert not (tmp_path / "huge").exists()
    assert_one_line_error(capsys, lambda: generate.main(
        ["--scale", "11"]), 2, "argument --scale: must be at most 10")


def test_training_that_reached_its_epochs_says_so(runs, capsys):
    assert train.main(["--epochs", "2"] + runs["dirs"]) == 0
    assert "already reached epoch 2 (--epochs 2)" in capsys.readouterr().out


def assert_one_line_error(capsys, call, code, *fragments):
    with tf.Graph().as_default(), pytest.raises(SystemExit) as exit_info:
        call()
    assert exit_info.value.code == code
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1, captured.err
    for fragment in fragments:
        assert fragment in captured.err


def test_resuming_with_another_z_dim_is_refused(runs, capsys):
    before = sorted(os.listdir(runs["checkpoints"]))
    assert_one_line_error(
        capsys, lambda: train.main(["--epochs", "3", "--z-dim", "20"] +
                                   runs["dirs"]),
        1, "z_dim 40, not 20", "--z-dim 40")
    assert sorted(os.listdir(runs["checkpoints"])) == before


def test_generate_without_checkpoint_says_train_first(tmp_path):
    result = run_module("vae_digits.generate", "--checkpoint-dir",
                        str(tmp_path / "none"))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: no checkpoint in {}: train first with `python -m "
        "vae_digits.train`, or pass --checkpoint-dir.".format(
            tmp_path / "none")]


@pytest.mark.parametrize("module,args,fragment", [
    (train, ["--epochs", "0"], "--epochs: must be a positive integer"),
    (train, ["--learning-rate", "nan"], "must be a positive number, got 'nan'"),
    (train, ["--batch-size", "x"], "must be a positive integer, got 'x'"),
    (generate, ["--std-noise", "inf"], "must be a finite number"),
    (generate, ["--n-samples", "0"], "must be a positive integer"),
    (generate, ["--mode", "morph"], "invalid choice: 'morph'"),
    (evaluate, ["--n-particles", "0"], "must be a positive integer"),
    (train, ["--test-freq", "-1"], "must be 0 or a positive integer"),
])
def test_bad_flags_are_one_line_usage_errors(module, args, fragment, capsys):
    assert_one_line_error(capsys, lambda: module.main(args), 2, fragment,
                          "(see --help)")


def test_batch_larger_than_the_data_and_digit_outside_test_set(
        runs, tmp_path, capsys):
    assert_one_line_error(
        capsys, lambda: train.main(["--batch-size", "5000"] + runs["inputs"]),
        1, "--batch-size 5000 is larger than the 1200 training digits")
    assert_one_line_error(
        capsys, lambda: generate.main(["--digits", "500"] + runs["dirs"]),
        1, "digit index 500 is outside the test set of 500 digits")


def test_reconstruct_without_digits_and_log_dir_that_is_a_file(
        runs, tmp_path, capsys):
    assert_one_line_error(
        capsys, lambda: generate.main(["--mode", "reconstruct", "--digits"] +
                                      runs["dirs"]),
        1, "--mode reconstruct needs test digits", "pass --digits")
    (tmp_path / "file").write_text("")
    assert_one_line_error(
        capsys, lambda: train.main(["--epochs", "3", "--log-dir",
                                    str(tmp_path / "file")] + runs["dirs"]),
        1, "--log-dir {} is a file".format(tmp_path / "file"))


def help_of(text, flag):
    """The help paragraph of `flag` in an argparse --help text."""
    match = re.search(rf"^  {re.escape(flag)}[ ,].*?(?=^  -|\Z)",
                      text, re.M | re.S)
    assert match, flag
    return " ".join(match.group(0).split())


def test_help_states_every_default(capsys):
    for module, defaults in (
            (train, {"--epochs": "1000", "--batch-size": "128",
                     "--learning-rate": "0.001", "--z-dim": "40",
                     "--save-freq": "100", "--max-to-keep": "10",
                     "--checkpoint-dir": "checkpoints/vae_digits",
                     "--result-dir": "results/vae_digits"}),
            (generate, {"--std-noise": "0.7", "--n-samples": "100",
                        "--digits": "3, 2, 1, 90, 95, 23, 11, 0, 84, 7",
                        "--mode": "samples"}),
            (evaluate, {"--n-particles": "1000", "--batch-size": "400"})):
        with pytest.raises(SystemExit):
            module.main(["--help"])
        text = capsys.readouterr().out
        for flag, default in defaults.items():
            # the whole value: "(default: 100)" is not "(default: 1000)"
            assert re.search(rf"\(default: {re.escape(default)}[);, ]", help_of(text, flag)), flag


def test_the_original_script_can_restore_our_checkpoint(tmp_path):
    """Plain tf.compat.v1 variables with the original's names and shapes,
    as its graph makes them, restore from our checkpoint every value the
    package's session held when it saved."""
    from tests.test_model import expected_variables
    from vae_digits.checkpoints.saving import save_checkpoint
    from vae_digits.models.mlp import build_graph
    rng = np.random.RandomState(0)
    with tf.Graph().as_default(), tf.Session() as sess:
        graph = build_graph(784, 40, learning_rate=0.001, seed=1,
                            batch_size=16)
        sess.run(tf.global_variables_initializer())
        for _ in range(3):  # Adam's slots and powers move too
            sess.run(graph.infer_op, {graph.train_x: rng.rand(16, 784)})
        saved = {v.op.name: sess.run(v) for v in tf.global_variables()}
        path = save_checkpoint(sess, tf.train.Saver(), str(tmp_path), 2, 5)
    with tf.Graph().as_default(), tf.Session() as sess:
        variables = [tf.get_variable(name, shape,
                                     initializer=tf.zeros_initializer())
                     for name, shape in expected_variables().items()]
        tf.train.Saver().restore(sess, path)
        values = sess.run(variables)
    assert sorted(saved) == sorted(v.op.name for v in variables)
    for variable, value in zip(variables, values):
        np.testing.assert_array_equal(value, saved[variable.op.name])
    assert np.abs(values[0]).max() > 0


def test_no_flag_may_be_abbreviated(tmp_path):
    """`--mode manifold` must never be read as `--model manifold`, nor a
    prefix accepted for any flag."""
    from vae_digits import cli
    assert cli.preparse_model(["--mode", "manifold"]) == (None, None)
    assert cli.preparse_model(["--mode=latent", "--model", "conv"]) == \
        ("conv", None)
    result = run_module("vae_digits.generate", "--checkpoint-d",
                        str(tmp_path))
    assert result.returncode == 2
    assert "unrecognized arguments: --checkpoint-d" in result.stderr


def test_the_blogs_own_call_finds_the_newest_checkpoint(runs, tmp_path):
    """tf.train.latest_checkpoint(dir), the original script's line, from
    the working directory a user trains in, with the default relative
    --checkpoint-dir."""
    import shutil
    work = tmp_path / "work"
    shutil.copytree(runs["checkpoints"], str(work / "checkpoints" /
                                             "vae_digits"))
    (work / "checkpoints" / "vae_digits" / "checkpoint").unlink()
    result = run_module("vae_digits.train", "--epochs", "3", "--data-path",
                        runs["inputs"][1], cwd=str(work))
    assert result.returncode == 0, result.stderr
    found = subprocess.run(
        [sys.executable, "-c", "import tensorflow.compat.v1 as tf; print("
         "tf.train.latest_checkpoint('checkpoints/vae_digits'))"],
        cwd=str(work), stdout=subprocess.PIPE, text=True)
    assert found.stdout.strip() == "checkpoints/vae_digits/vae.epoch.3.ckpt"
