"""The conv and conditional models compute their posts' objectives.

Each objective is recomputed for fixed weights, images and latent draws
in plain TensorFlow, from the formulas of the post's code (sigmoid
outputs and logs for the conv post's cross-entropy, the conditioning
post's Normal log-density, KL and cross-entropy), and compared with the
model's value."""
import numpy as np
import pytest

from tests.helpers import read_real_test_digits
from vae_digits.core.compat import tf
from vae_digits.models import conditional, conv

N = 16


def real_images(n=N):
    images, labels = read_real_test_digits()
    return (images[:n].reshape(n, 784).astype(np.float32) / 255.,
            labels[:n].astype(np.int32))


def weights(sess, scope):
    return {v.op.name[len(scope) + 1:]: sess.run(v)
            for v in tf.global_variables(scope + "/")}


def test_conv_objective_is_the_posts_cross_entropy_plus_weighted_kl():
    x, _ = real_images()
    kl_weight = 0.7
    with tf.Graph().as_default(), tf.Session() as sess:
        tf.set_random_seed(3)
        images = tf.constant(x)
        losses, variational = conv.objective(images, 2, kl_weight, N)
        loss = losses["loss"]
        # the only random op: the encoder's epsilon. Fixing it, not z,
        # draws z through the encoder, as training does.
        epsilon = [op for op in tf.get_default_graph().get_operations()
                   if op.type == "RandomStandardNormal"]
        assert len(epsilon) == 1
        sess.run(tf.global_variables_initializer())
        eps = np.random.RandomState(0).randn(1, N, 2).astype(np.float32)
        ours = sess.run(loss, {epsilon[0].outputs[0]: eps})
        enc, dec = weights(sess, "encoder"), weights(sess, "decoder")

    def conv2d(h, name, stride):
        return tf.nn.relu(tf.nn.conv2d(h, enc[name + "/kernel"],
                                       [1, stride, stride, 1], "SAME")
                          + enc[name + "/bias"])

    def dense(h, params, name, activation=lambda a: a):
        return activation(tf.matmul(h, params[name + "/kernel"])
                          + params[name + "/bias"])

    with tf.Graph().as_default(), tf.Session() as sess:
        h = conv2d(tf.reshape(x, [-1, 28, 28, 1]), "conv2d", 2)
        h = conv2d(h, "conv2d_1", 2)
        h = tf.reshape(conv2d(h, "conv2d_2", 1), [N, -1])
        mean_ = dense(h, enc, "dense")
        std_dev = dense(h, enc, "dense_1", tf.nn.softplus)
        z = mean_ + std_dev * eps[0]
        h = dense(z, dec, "dense", tf.nn.relu)
        h = tf.reshape(dense(h, dec, "dense_1", tf.nn.relu), [-1, 7, 7, 1])
        for name in ("conv2d_transpose", "conv2d_transpose_1",
                     "conv2d_transpose_2"):
            h = tf.nn.relu(tf.nn.conv2d_transpose(
                h, dec[name + "/kernel"], [N, 7, 7, 64], [1, 1, 1, 1],
                "SAME") + dec[name + "/bias"])
        h = dense(tf.reshape(h, [N, -1]), dec, "dense_2")
        flat_output = dense(h, dec, "dense_3", tf.sigmoid)
        img_loss = tf.reduce_sum(x * -tf.log(flat_output) +
                                 (1 - x) * -tf.log(1 - flat_output), 1)
        latent_loss = 0.5 * tf.reduce_sum(
            tf.square(mean_) + tf.square(std_dev) -
            tf.log(tf.square(std_dev)) - 1, 1)
        posts = sess.run(tf.reduce_mean(img_loss) +
                         kl_weight * tf.reduce_mean(latent_loss))
    np.testing.assert_allclose(ours, posts, rtol=1e-5)
    assert 300 < posts < 800  # an untrained net on real digits


def test_conv_checkpoint_holds_4d_convolution_kernels():
    with tf.Graph().as_default():
        conv.ConvVAE().build(dict(z_dim=2, kl_weight=1., x_dim=784),
                   learning_rate=0.001)
        shapes = {v.op.name: v.shape.as_list()
                  for v in tf.trainable_variables()}
    assert shapes["encoder/conv2d/kernel"] == [4, 4, 1, 64]
    assert shapes["encoder/conv2d_2/kernel"] == [4, 4, 64, 64]
    assert shapes["encoder/dense/kernel"] == [7 * 7 * 64, 2]
    assert shapes["decoder/dense_1/kernel"] == [49, 49]
    assert shapes["decoder/conv2d_transpose/kernel"] == [4, 4, 64, 1]
    assert shapes["decoder/conv2d_transpose_2/kernel"] == [4, 4, 64, 64]
    assert shapes["decoder/dense_2/kernel"] == [7 * 7 * 64, 784]
    assert shapes["decoder/dense_3/kernel"] == [784, 784]
    assert len(shapes) == 2 * (5 + 7)


def test_conditional_objective_is_the_posts():
    x, digits = real_images()
    hparams = dict(conditional.ConditionalVAE().defaults(), x_dim=784)
    with tf.Graph().as_default(), tf.Session() as sess:
        tf.set_random_seed(4)
        with tf.variable_scope("", reuse=tf.AUTO_REUSE):
            losses, _, _ = conditional.objective(tf.constant(x),
                                                 tf.constant(digits), hparams)
        z_sample = [op for op in tf.get_default_graph().get_operations()
                    if op.type == "RandomStandardNormal"][0]
        # the only random op: the encoder's epsilon; fix it
        eps = np.random.RandomState(1).randn(N, 10).astype(np.float32)
        sess.run(tf.global_variables_initializer())
        ours = sess.run(losses, {z_sample.outputs[0]: eps})
        enc, cls, dec = (weights(sess, scope) for scope in
                         ("encoder", "digit_classifier", "decoder"))

    def dense(h, params, name, activation=lambda a: a):
        return activation(tf.matmul(h, params[name + "/kernel"])
                          + params[name + "/bias"])

    with tf.Graph().as_default(), tf.Session() as sess:
        h = dense(x, enc, "dense", tf.sigmoid)
        encoder_mu = dense(h, enc, "dense_1")
        encoder_var = 1e-5 + tf.exp(dense(h, enc, "dense_2"))
        z = encoder_mu + tf.sqrt(encoder_var) * eps
        digit_logits = dense(dense(x, cls, "dense", tf.sigmoid), cls,
                             "dense_1")
        digit_prob = tf.nn.softmax(digit_logits)
        h = dense(tf.concat([z, digit_prob], axis=1), dec, "dense",
                  tf.sigmoid)
        decoded_images = dense(h, dec, "dense_1", tf.sigmoid)
        log_prob = (-0.5 * np.log(2 * np.pi) - np.log(0.5)
                    - 0.5 * tf.square((x - decoded_images) / 0.5))
        loss_reconstruction = -tf.reduce_sum(log_prob, axis=1)
        loss_prior = -0.5 * tf.reduce_sum(
            1 + tf.log(encoder_var) - encoder_mu ** 2 - encoder_var, axis=1)
        loss_auto_encode = tf.reduce_mean(loss_reconstruction + loss_prior)
        loss_digit_classifier = 10.0 * tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(
                labels=digits, logits=digit_logits))
        posts = sess.run(dict(
            loss=loss_auto_encode + loss_digit_classifier,
            vae_loss=loss_auto_encode,
            classifier_loss=loss_digit_classifier))
    for name, value in posts.items():
        np.testing.assert_allclose(ours[name], value, rtol=1e-5)
    assert ours["vae_loss"] > 100 and ours["classifier_loss"] > 10


def test_conv_hyperparameters_reach_the_graph_through_build():
    """z_dim and kl_weight given to build(), not only to objective()."""
    x, _ = real_images()
    with tf.Graph().as_default(), tf.Session() as sess:
        tf.set_random_seed(5)
        graph = conv.ConvVAE().build(dict(z_dim=3, kl_weight=0.3, x_dim=784))
        sess.run(tf.global_variables_initializer())
        values = sess.run(dict(graph.test_metrics, mean=graph.latent_means,
                               std=graph.latent_stds), {graph.x_input: x})
    assert values["mean"].shape == (N, 3)
    kl = 0.5 * np.sum(values["mean"] ** 2 + values["std"] ** 2
                      - np.log(values["std"] ** 2) - 1, axis=1).mean()
    np.testing.assert_allclose(values["kl"], kl, rtol=1e-4)
    np.testing.assert_allclose(
        values["loss"], values["reconstruction"] + 0.3 * values["kl"],
        rtol=1e-6)
    assert values["kl"] > 0.01  # so that a weight of 1 would show


def test_conditional_hyperparameters_reach_the_graph_through_build():
    """Every hyperparameter given to build(): z_dim, hidden_layers,
    activation, decoder_std, digit_classification_weight. The terms are
    recomputed from the graph's own parts for the same epsilon."""
    x, digits = real_images()
    hparams = dict(z_dim=4, hidden_layers=[32, 16], activation="relu",
                   decoder_std=0.8, digit_classification_weight=3.,
                   x_dim=784)
    eps = np.random.RandomState(2).randn(N, 4).astype(np.float32)
    with tf.Graph().as_default(), tf.Session() as sess:
        graph = conditional.ConditionalVAE().build(hparams)
        epsilon = [op for op in tf.get_default_graph().get_operations()
                   if op.type == "RandomStandardNormal"]
        assert len(epsilon) == 1
        sess.run(tf.global_variables_initializer())
        shapes = {v.op.name: v.shape.as_list()
                  for v in tf.trainable_variables()}
        feed = {graph.x_input: x, graph.labels_input: digits,
                epsilon[0].outputs[0]: eps}
        values = sess.run(dict(graph.test_metrics, mean=graph.latent_means,
                               std=graph.latent_stds, codes=graph.codes),
                          feed)
        z = values["mean"] + values["std"] * eps
        probabilities = values["codes"][:, 4:]
        x_mean = sess.run(graph.decoded, {graph.code_input: np.hstack(
            [z, probabilities])})
        hidden = sess.run(tf.get_default_graph().get_tensor_by_name(
            "encoder/Relu:0"), feed)
    assert shapes["encoder/dense/kernel"] == [784, 32]
    assert shapes["encoder/dense_1/kernel"] == [32, 16]
    assert shapes["decoder/dense/kernel"] == [4 + 10, 32]
    assert hidden.min() == 0.  # relu, not the default sigmoid
    reconstruction = np.mean(np.sum(
        0.5 * np.log(2 * np.pi) + np.log(0.8)
        + 0.5 * ((x - x_mean) / 0.8) ** 2, axis=1))
    np.testing.assert_allclose(values["reconstruction"], reconstruction,
                               rtol=1e-5)
    kl = 0.5 * np.sum(values["mean"] ** 2 + values["std"] ** 2
                      - np.log(values["std"] ** 2) - 1, axis=1).mean()
    np.testing.assert_allclose(values["kl"], kl, rtol=1e-4)
    np.testing.assert_allclose(values["vae_loss"],
                               values["reconstruction"] + values["kl"],
                               rtol=1e-6)
    cross_entropy = -np.mean(np.log(probabilities[np.arange(N), digits]))
    np.testing.assert_allclose(values["classifier_loss"], 3. * cross_entropy,
                               rtol=1e-4)
    np.testing.assert_allclose(values["loss"], values["vae_loss"]
                               + values["classifier_loss"], rtol=1e-6)


def test_pixel_log_likelihoods_are_their_closed_forms():
    """What the ELBO panel and elbo_parts score a reconstruction with:
    Bernoulli pixels with probabilities kept a millionth inside (0, 1), so
    that a decoder mean of exactly 0 or 1 stays finite; the conditioning
    post's Gaussian pixels of std decoder_std."""
    from vae_digits import models
    rng = np.random.RandomState(0)
    x = (rng.rand(3, 784) < 0.5).astype(np.float64)
    means = rng.rand(3, 784)
    means[:, :2] = [0., 1.]  # the edges, against pixels of both values
    x[0, :2], x[1, :2] = [1., 0.], [0., 1.]
    p = np.clip(means, 1e-6, 1 - 1e-6)
    bernoulli = np.sum(x * np.log(p) + (1 - x) * np.log(1 - p), axis=-1)
    got = models.get("mlp").pixel_log_likelihood(x, means, {})
    assert np.all(np.isfinite(got))
    np.testing.assert_allclose(got, bernoulli, rtol=1e-12)
    std = 0.5
    normal = np.sum(-(x - means) ** 2 / (2 * std ** 2)
                    - np.log(std * np.sqrt(2 * np.pi)), axis=-1)
    np.testing.assert_allclose(models.get("conditional").pixel_log_likelihood(
        x, means, {"decoder_std": std}), normal, rtol=1e-12)


def test_ais_averages_its_chains_weights_in_float64():
    """AIS's estimate is log mean exp of the chains' float32 log weights:
    done in float32 it would be off by 1e-4 nats at -1000."""
    from vae_digits.zhusuan.annealing import _log_mean_exp
    weights = np.array([[-1000.123], [-1001.456], [-999.789]], np.float32)
    exact = np.log(np.mean(np.exp(weights.astype(np.float64) + 1000.))) \
        - 1000.
    assert _log_mean_exp(weights)[0] == pytest.approx(exact, abs=1e-9)
