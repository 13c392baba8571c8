"""The digit-conditioned VAE of the conditioning post
(`--model conditional`).

"Variational autoencoders: the model, the code, and conditioning on the
digit": an encoder (128 sigmoid units) to the mean and the variance
1e-5 + exp(dense) of q(z | x); a digit classifier (128 sigmoid units) to
10 logits; a decoder (128 sigmoid units) from [z, softmax(logits)] to the
784 pixel means of x ~ Normal(mean, 0.5) over grey levels. The objective
is the post's: the Gaussian reconstruction term plus the analytic KL of
q(z | x) from N(0, I), averaged over the batch, plus
digit_classification_weight times the classifier's mean cross-entropy.
After training, decoding any z with the one-hot class of a digit in place
of the classifier's output draws that digit.
"""
import argparse

from vae_digits import zhusuan as zs
from vae_digits.core import config
from vae_digits.core.arguments import int_range, latent_dim, non_negative_float, positive_float
from vae_digits.core.compat import tf
from vae_digits.models.base import Hyperparameter, Model
from vae_digits.models.graph import ModelGraph, adam_step, gaussian_kl
from vae_digits.models.layers import dense

ACTIVATIONS = ("sigmoid", "relu", "tanh")  # functions of tf.nn
MAX_LAYERS = 10
layer_units = int_range(1, 10_000)


def hidden_layers(text):
    """Units of each hidden layer, e.g. '128' or '256,128'."""
    parts = [part for part in
             str(text).strip("[]() ").replace(" ", "").split(",") if part]
    if not 1 <= len(parts) <= MAX_LAYERS:
        raise argparse.ArgumentTypeError(
            f"must be 1 to {MAX_LAYERS} comma-separated whole numbers, got "
            f"{text!r}")
    units = [layer_units(part) for part in parts]
    return units


def activation(text):
    """The name of a hidden layers' activation, one of ACTIVATIONS."""
    if text not in ACTIVATIONS:
        raise argparse.ArgumentTypeError(
            f"must be one of {', '.join(ACTIVATIONS)}, got {text!r}")
    return text


def _mlp(h, layers, activation_name):
    for units in layers:
        h = dense(h, units, activation=getattr(tf.nn, activation_name))
    return h


# the encoder: q(z | x) = N(mu(x), 1e-5 + exp(f(x)))
@zs.meta_bayesian_net(scope="encoder", reuse_variables=True)
def build_q_net(x, z_dim, layers, activation_name):
    bn = zs.BayesianNet()
    h = _mlp(x, layers, activation_name)
    z_mean = dense(h, z_dim)
    z_var = 1e-5 + tf.exp(dense(h, z_dim))
    bn.normal("z", z_mean, std=tf.sqrt(z_var), group_ndims=1)
    return bn


@zs.reuse_variables(scope="digit_classifier")
def digit_classifier(x, layers, activation_name):
    """The logits of the digit in each image of `x`."""
    return dense(_mlp(x, layers, activation_name), config.N_CLASSES)


# the decoder: z ~ N(0, I), x ~ N(f([z, digit_prob]), decoder_std^2)
@zs.meta_bayesian_net(scope="decoder", reuse_variables=True)
def build_gen(digit_prob, z_dim, layers, activation_name, decoder_std, n):
    bn = zs.BayesianNet()
    z = bn.normal("z", tf.zeros([n, z_dim]), std=1., group_ndims=1)
    h = _mlp(tf.concat([z, digit_prob], axis=-1), layers, activation_name)
    x_mean = tf.sigmoid(dense(h, config.X_DIM))
    bn.deterministic("x_mean", x_mean)
    bn.normal("x", x_mean, std=decoder_std, group_ndims=1)
    return bn


def objective(images, digits, hparams):
    """The post's losses of `images` ([n, 784], grey levels) of `digits`:
    {name: scalar} of the total loss, the VAE loss, the weighted digit
    classifier loss, the classifier's accuracy and the VAE loss's parts
    (reconstruction, kl); and what the pictures read (q(z | x), the digit
    probabilities)."""
    net = (hparams["hidden_layers"], hparams["activation"])
    variational = build_q_net(images, hparams["z_dim"], *net).observe()
    z = variational["z"]
    digit_logits = digit_classifier(images, *net)
    digit_prob = tf.nn.softmax(digit_logits)
    model = build_gen(digit_prob, hparams["z_dim"], *net,
                      hparams["decoder_std"], tf.shape(images)[0])
    loss_reconstruction = -model.observe(x=images, z=z).cond_log_prob("x")
    loss_prior = gaussian_kl(z.dist.mean, z.dist.std)
    loss_auto_encode = tf.reduce_mean(loss_reconstruction + loss_prior)
    loss_digit_classifier = hparams["digit_classification_weight"] * \
        tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=digits, logits=digit_logits))
    accuracy = tf.reduce_mean(tf.cast(tf.equal(
        tf.argmax(digit_logits, axis=1, output_type=tf.int32), digits),
        tf.float32))
    losses = {"loss": loss_auto_encode + loss_digit_classifier,
              "vae_loss": loss_auto_encode,
              "classifier_loss": loss_digit_classifier,
              "classifier_accuracy": accuracy,
              "reconstruction": tf.reduce_mean(loss_reconstruction),
              "kl": tf.reduce_mean(loss_prior)}
    return losses, z.dist, digit_prob


def _decode(codes, hparams, n):
    """x_mean of each code [z, digit probabilities] of `codes`."""
    z_dim = hparams["z_dim"]
    model = build_gen(codes[:, z_dim:], z_dim, hparams["hidden_layers"],
                      hparams["activation"], hparams["decoder_std"], n)
    return model.observe(z=codes[:, :z_dim])["x_mean"]


class ConditionalVAE(Model):
    """The conditioning post's model."""

    name = "conditional"
    summary = "the digit-conditioned VAE of the conditioning post"
    epochs, batch_size, learning_rate = 20, 100, 0.001
    hyperparameters = (
        Hyperparameter("z_dim", latent_dim, 10, "dimensions of the latent "
                       "code z, besides the 10 of the digit"),
        Hyperparameter("hidden_layers", hidden_layers, [128], "units of the "
                       "hidden layers of each sub-network, comma-separated",
                       show=lambda units: ",".join(map(str, units))),
        Hyperparameter("activation", activation, "sigmoid", "activation of "
                       "the hidden layers: " + ", ".join(ACTIVATIONS)),
        Hyperparameter("decoder_std", positive_float, 0.5,
                       "standard deviation of p(x | z)"),
        Hyperparameter("digit_classification_weight", non_negative_float,
                       10., "weight of the digit classifier's loss"))
    train_share = 11 / 12  # the post's 55,000 of MNIST's 60,000
    uses_labels = True
    # As the post, the train figures of an epoch are measured on the whole
    # training set once it ends, and its two losses drawn in losses.png.
    whole_set_train_metrics = True
    train_metrics = test_metrics = ("loss", "vae_loss", "classifier_loss",
                                    "classifier_accuracy")
    loss_curves = ("vae_loss", "classifier_loss")
    epoch_pictures = ("conditioned",)

    def pixel_distribution(self, hparams):
        return {"kind": "normal", "std": hparams["decoder_std"]}

    def pixel_log_likelihood(self, x, x_mean, hparams):
        """The post's Gaussian pixels: log N(x; x_mean, decoder_std^2)."""
        import numpy as np
        variance = hparams["decoder_std"] ** 2
        residual = np.asarray(x, np.float64) - np.asarray(x_mean, np.float64)
        return -0.5 * np.sum(residual ** 2 / variance
                             + np.log(2 * np.pi * variance), axis=-1)

    def build(self, hparams, learning_rate=None, batch_size=None):
        """The graph of the model described by `hparams` (see graph.py)."""
        parts = {}
        if learning_rate is not None:
            parts = _training_parts(hparams, learning_rate,
                                    batch_size or self.batch_size)
        x_input = tf.placeholder(tf.float32, [None, config.X_DIM], name="x")
        labels_input = tf.placeholder_with_default(
            tf.zeros_like(tf.shape(x_input)[:1]), [None], name="labels")
        losses, z, digit_prob = objective(x_input, labels_input, hparams)
        codes = tf.concat([z.mean, digit_prob], axis=1)
        code_input = tf.placeholder(
            tf.float32, [None, hparams["z_dim"] + config.N_CLASSES],
            name="code")
        return ModelGraph(
            x_input=x_input, labels_input=labels_input, test_metrics=losses,
            latent_means=z.mean, latent_stds=z.std, codes=codes,
            code_input=code_input,
            decoded=_decode(code_input, hparams, tf.shape(code_input)[0]),
            **parts)


def _training_parts(hparams, learning_rate, batch_size):
    """The training step's parts of the graph, for batches of
    `batch_size` images and their digits."""
    train_x = tf.placeholder(tf.float32, [batch_size, config.X_DIM],
                             name="train_x")
    train_labels = tf.placeholder(tf.int32, [batch_size],
                                  name="train_labels")
    loss = objective(train_x, train_labels, hparams)[0]["loss"]
    return dict(train_x=train_x, train_labels=train_labels,
                train_metrics={"loss": loss},
                infer_op=adam_step(loss, learning_rate))
