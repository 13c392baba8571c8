"""The blog's model and graph: variable names and shapes as in the
original's checkpoints, and a checkpoint laid out as the original script
wrote it restoring into generate and train."""
import os

import imageio.v3 as iio
import numpy as np
import pytest

import vae_digits
from tests.helpers import read_real_test_digits
from vae_digits import generate, train
from vae_digits.core.compat import tf
from vae_digits.models.mlp import build_graph

ENCODER = {"q_net/dense": (784, 500), "q_net/dense_1": (500, 500),
           "q_net/dense_2": (500, 40), "q_net/dense_3": (500, 40)}
DECODER = {"gen/dense": (40, 500), "gen/dense_1": (500, 500),
           "gen/dense_2": (500, 784)}
LAYERS = dict(ENCODER, **DECODER)


def expected_variables():
    shapes = {}
    for layer, (n_in, n_out) in LAYERS.items():
        for name, shape in (("kernel", (n_in, n_out)), ("bias", (n_out,))):
            for suffix in ("", "/Adam", "/Adam_1"):
                shapes[layer + "/" + name + suffix] = shape
    shapes["beta1_power"] = shapes["beta2_power"] = ()
    return shapes


def test_training_graph_has_the_original_variable_names_and_shapes():
    with tf.Graph().as_default():
        build_graph(784, 40, learning_rate=0.001)
        shapes = {v.op.name: tuple(v.shape.as_list())
                  for v in tf.global_variables()}
    assert shapes == expected_variables()


def test_dense_layers_use_glorot_uniform_kernels_and_zero_biases():
    with tf.Graph().as_default(), tf.Session() as sess:
        tf.set_random_seed(0)
        build_graph(784, 40)
        sess.run(tf.global_variables_initializer())
        values = {v.op.name: sess.run(v) for v in tf.global_variables()}
    kernel = values["gen/dense_1/kernel"]
    limit = np.sqrt(6. / (500 + 500))
    assert np.abs(kernel).max() <= limit
    assert np.abs(kernel).max() > 0.95 * limit
    np.testing.assert_allclose(kernel.std(), limit / np.sqrt(3), rtol=0.02)
    assert not values["gen/dense_1/bias"].any()


def write_original_checkpoint(directory, epoch, pixel_probability):
    """A checkpoint as the original script wrote it, made with plain
    tf.compat.v1 variables (not through the package): all weights are zero
    but the decoder's last bias, so every decoded image is
    sigmoid(gen/dense_2/bias)."""
    logit = np.log(pixel_probability / (1 - pixel_probability))
    with tf.Graph().as_default(), tf.Session() as sess:
        for name, shape in expected_variables().items():
            value = np.zeros(shape, np.float32)
            if name == "gen/dense_2/bias":
                value[:] = logit
            tf.get_variable(name, initializer=value)
        sess.run(tf.global_variables_initializer())
        path = os.path.join(directory, f"vae.epoch.{epoch}.ckpt")
        tf.train.Saver().save(sess, path)
    return path


def test_generate_restores_a_checkpoint_of_the_original_script(
        tmp_path, small_mnist, capsys):
    checkpoints = str(tmp_path / "checkpoints")
    write_original_checkpoint(checkpoints, 100, pixel_probability=0.25)
    assert not os.path.exists(os.path.join(checkpoints, "model_config.json"))
    results = str(tmp_path / "results")
    with tf.Graph().as_default():
        assert generate.main(["--checkpoint-dir", checkpoints,
                              "--result-dir", results, "--seed", "1",
                              "--data-path", small_mnist]) == 0
    assert "vae.epoch.100.ckpt" in capsys.readouterr().out
    for name in ["random_samples.png"] + [f"{i}.png"
                                          for i in range(10)]:
        image = iio.imread(os.path.join(results, name))
        assert image.shape == (280, 280)
        assert (image == round(0.25 * 255)).all()


def test_training_resumes_from_a_checkpoint_of_the_original_script(
        tmp_path, small_mnist, capsys):
    checkpoints = str(tmp_path / "checkpoints")
    path = write_original_checkpoint(checkpoints, 100, pixel_probability=0.5)
    with tf.Graph().as_default():
        assert train.main(["--epochs", "101", "--checkpoint-dir", checkpoints,
                           "--result-dir", str(tmp_path / "results"),
                           "--data-path", small_mnist, "--seed", "0"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"Restoring model from {path}..."
    assert lines[1].startswith("Epoch 101 (")
    assert lines[2:4] == ["Saving model...", "Done"]
    assert lines[4].startswith(f"Checkpoints are in {checkpoints}; pictures")
    assert os.path.isfile(os.path.join(checkpoints,
                                       "vae.epoch.101.ckpt.index"))


def test_a_checkpoint_of_another_model_is_refused_in_one_line(
        tmp_path, small_mnist, capsys):
    checkpoints = str(tmp_path / "checkpoints")
    write_original_checkpoint(checkpoints, 100, pixel_probability=0.5)
    with open(os.path.join(checkpoints, "model_config.json"), "w") as f:
        f.write('{"x_dim": 784, "z_dim": 20}\n')  # a lie about its shapes
    with tf.Graph().as_default(), pytest.raises(SystemExit) as exit_info:
        generate.main(["--checkpoint-dir", checkpoints, "--digits",
                       "--result-dir", str(tmp_path / "results")])
    assert exit_info.value.code == 1
    error = capsys.readouterr().err
    assert error.startswith("error: cannot restore ") and \
        error.count("\n") == 1


def test_the_fixed_shape_training_step_computes_the_blogs_elbo():
    """Training runs a copy of the nets built for one batch size; its ELBO
    estimates the same bound as the blog's graph, and its Adam steps move
    the weights that evaluation and generation read."""
    images, _ = read_real_test_digits()
    digits = images[:64].reshape(64, 784).astype(np.float32) / 255
    with tf.Graph().as_default(), tf.Session() as sess:
        graph = build_graph(784, 40, learning_rate=0.001, seed=7,
                            batch_size=64)
        sess.run(tf.global_variables_initializer())

        def mean_bounds(runs=200):
            train_bound = np.mean([sess.run(
                graph.train_lower_bound, {graph.train_x: digits})
                for _ in range(runs)])
            blog_bound = np.mean([sess.run(
                graph.lower_bound, {graph.x_input: digits, graph.n: 64,
                                    graph.n_particles: 1})
                for _ in range(runs)])
            return train_bound, blog_bound

        train_bound, blog_bound = mean_bounds()
        assert abs(train_bound - blog_bound) < 0.5
        for _ in range(30):
            sess.run(graph.infer_op, {graph.train_x: digits})
        trained_train_bound, trained_blog_bound = mean_bounds()
    assert trained_blog_bound > blog_bound + 50
    assert abs(trained_train_bound - trained_blog_bound) < 0.5


def test_the_training_step_runs_only_the_matrix_products_it_needs():
    """A step's 20 matrix products: forward, back to every weight, and back
    to every layer's input except the data's, whose gradient no update
    needs (TF's default gradient gating would compute it)."""
    batch_size, x_dim, z_dim, hidden = 32, 784, 40, 500  # as LAYERS
    with tf.Graph().as_default() as g:
        graph = build_graph(x_dim, z_dim, learning_rate=0.001,
                            batch_size=batch_size)
        step = tf.graph_util.extract_sub_graph(
            g.as_graph_def(),
            [graph.infer_op.name, graph.train_lower_bound.op.name])
        multiply_adds = []
        for node in step.node:
            if node.op == "MatMul":
                a, b = [t.shape.as_list()
                        for t in g.get_operation_by_name(node.name).inputs]
                m, k = a[::-1] if node.attr["transpose_a"].b else a
                n = b[0] if node.attr["transpose_b"].b else b[1]
                multiply_adds.append(m * k * n)
    per_digit = 3 * sum(a * b for a, b in LAYERS.values()) - x_dim * hidden
    assert len(multiply_adds) == 20
    assert sum(multiply_adds) == per_digit * batch_size


@pytest.mark.parametrize("model", ["mlp", "conv"])
def test_a_checkpoints_graph_takes_the_images_as_x(model, small_mnist,
                                                   tmp_path):
    """The .meta beside each checkpoint holds the graph as the original
    script named it: a user who imports it feeds the images to "x:0"."""
    directory = vae_digits.train(
        model=model, epochs=1, train_images=200, batch_size=100, seed=0,
        data_path=small_mnist, checkpoint_dir=tmp_path / "checkpoints",
        result_dir=tmp_path / "results")
    checkpoint = tf.train.latest_checkpoint(directory)
    with tf.Graph().as_default() as graph:
        tf.train.import_meta_graph(checkpoint + ".meta")
        x = graph.get_tensor_by_name("x:0")
    assert x.op.type == "Placeholder" and x.dtype == tf.float32
    assert x.shape.as_list() == [None, 784]
