"""The conv and conditional models compute their posts' objectives.

Each objective is recomputed for fixed weights, images and latent draws
in plain TensorFlow, from the formulas of the post's code (sigmoid
outputs and logs for the conv post's cross-entropy, the conditioning
post's Normal log-density, KL and cross-entropy), and compared with the
model's value."""
import numpy as np

from tests.helpers import read_real_test_digits
from vae_digits.compat import tf
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
        z_sample = variational["z"].tensor
        sess.run(tf.global_variables_initializer())
        z = np.random.RandomState(0).randn(1, N, 2).astype(np.float32)
        ours = sess.run(loss, {z_sample: z})
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
        h = dense(z[0], dec, "dense", tf.nn.relu)
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
        conv.build(dict(z_dim=2, kl_weight=1., x_dim=784),
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
    hparams = dict(conditional.DEFAULTS, x_dim=784)
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
