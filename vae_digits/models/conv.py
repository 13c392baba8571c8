"""The convolutional VAE of the latent-space post (`--model conv`).

Miguel Méndez's "VAEs! Generating images with Tensorflow", following its
code (autoencoder.py) where it is more exact than its prose: three 4x4
convolutions of 64 filters (strides 2, 2, 1) to the mean and, through a
softplus, the standard deviation of q(z | x); a decoder of two dense
layers of 49 ReLU units reshaped to 7x7x1, three 4x4 transposed
convolutions of 64 filters at stride 1 (which keep 7x7), and two dense
layers of 784 units, the second giving the pixels' logits. The pixels are
grey levels, not binarised: x ~ Bernoulli(logits) observed at the grey
levels, whose log-likelihood is minus the post's binary cross-entropy.
The objective is that cross-entropy plus `kl_weight` times the analytic
KL divergence of q(z | x) from N(0, I), averaged over the batch.
"""
from vae_digits import zhusuan as zs
from vae_digits.core import config
from vae_digits.core.arguments import latent_dim, non_negative_float
from vae_digits.core.compat import tf
from vae_digits.models.base import Hyperparameter, Model
from vae_digits.models.graph import (
    ModelGraph,
    adam_step,
    gaussian_kl,
    importance_sampling,
    sampler_parts,
)
from vae_digits.models.layers import conv2d, conv2d_transpose, dense, flatten

FILTERS, KERNEL_SIZE, DECODER_INPUTS = 64, 4, 49
_SIDE = config.IMAGE_SHAPE[0]


# the decoder: z ~ N(0, I), x ~ Bernoulli(f_NN(z)) observed at grey levels
@zs.meta_bayesian_net(scope="decoder", reuse_variables=True)
def build_gen(z_dim, n, n_particles=None):
    bn = zs.BayesianNet()
    z = bn.normal("z", tf.zeros([n, z_dim]), std=1., group_ndims=1,
                  n_samples=n_particles)
    h = dense(tf.reshape(z, [-1, z_dim]), DECODER_INPUTS,
              activation=tf.nn.relu)
    h = dense(h, DECODER_INPUTS, activation=tf.nn.relu)
    side = int(DECODER_INPUTS ** 0.5)
    h = tf.reshape(h, [-1, side, side, 1])
    for _ in range(3):
        h = conv2d_transpose(h, FILTERS, KERNEL_SIZE, strides=1,
                             activation=tf.nn.relu)
    h = dense(flatten(h), config.X_DIM)
    x_logits = dense(h, config.X_DIM)  # the post's sigmoid layer, as logits
    x_logits = tf.reshape(x_logits, tf.concat(
        [tf.shape(z)[:-1], [config.X_DIM]], axis=0))
    bn.deterministic("x_mean", tf.sigmoid(x_logits))
    bn.bernoulli("x", x_logits, group_ndims=1, dtype=tf.float32)
    return bn


# the encoder: q(z | x) = N(z_mean(x), (softplus(f(x)) * exp(std_noise))^2)
@zs.meta_bayesian_net(scope="encoder", reuse_variables=True)
def build_q_net(x, z_dim, n_z_per_x=None, std_noise=0.):
    bn = zs.BayesianNet()
    h = tf.reshape(x, [-1, _SIDE, _SIDE, 1])
    h = conv2d(h, FILTERS, KERNEL_SIZE, strides=2, activation=tf.nn.relu)
    h = conv2d(h, FILTERS, KERNEL_SIZE, strides=2, activation=tf.nn.relu)
    h = conv2d(h, FILTERS, KERNEL_SIZE, strides=1, activation=tf.nn.relu)
    h = flatten(h)
    z_mean = dense(h, z_dim)
    z_std = tf.nn.softplus(dense(h, z_dim)) * tf.exp(std_noise)
    bn.normal("z", z_mean, std=z_std, group_ndims=1, n_samples=n_z_per_x)
    return bn


def objective(x, z_dim, kl_weight, n):
    """The post's loss of the images `x` ([n, 784], grey levels): mean over
    them of the binary cross-entropy plus kl_weight x KL. Returns
    ({loss, reconstruction (the cross-entropy), kl}, the variational
    net)."""
    model = build_gen(z_dim, n, 1)
    variational = build_q_net(x, z_dim, 1).observe()
    z = variational["z"]
    cross_entropy = -model.observe(x=x, z=z).cond_log_prob("x")  # [1, n]
    kl = gaussian_kl(z.dist.mean, z.dist.std)
    parts = {"reconstruction": tf.reduce_mean(cross_entropy),
             "kl": tf.reduce_mean(kl)}
    return dict(loss=parts["reconstruction"] + kl_weight * parts["kl"],
                **parts), variational


class ConvVAE(Model):
    """The latent-space post's model."""

    name = "conv"
    summary = "the convolutional VAE of the latent-space post"
    epochs, batch_size, learning_rate = 20, 128, 0.0005
    hyperparameters = (
        Hyperparameter("z_dim", latent_dim, 2, "dimensions of the latent "
                       "code z (the post's latent-space figures use 2, its "
                       "reconstructions 5)"),
        Hyperparameter("kl_weight", non_negative_float, 1., "weight of the "
                       "KL term in the objective (0 redraws the post's "
                       "latent space without it)"))
    test_metrics = ("loss", "log_likelihood")
    epoch_pictures = ("latent", "reconstructions")

    def build(self, hparams, learning_rate=None, batch_size=None):
        """The graph of the model described by `hparams` (see graph.py)."""
        z_dim, kl_weight = hparams["z_dim"], hparams["kl_weight"]
        parts = {}
        if learning_rate is not None:
            batch_size = batch_size or self.batch_size
            train_x = tf.placeholder(tf.float32, [batch_size, config.X_DIM],
                                     name="train_x")
            losses = objective(train_x, z_dim, kl_weight, batch_size)[0]
            parts = dict(train_x=train_x, train_metrics=losses,
                         infer_op=adam_step(losses["loss"], learning_rate))

        x_input = tf.placeholder(tf.float32, [None, config.X_DIM], name="x")
        n = tf.placeholder_with_default(tf.shape(x_input)[0], shape=[],
                                        name="n")
        n_particles = tf.placeholder_with_default(1, shape=[],
                                                  name="n_particles")
        std_noise = tf.placeholder_with_default(0., shape=[],
                                                name="std_noise")
        losses = objective(x_input, z_dim, kl_weight,
                           tf.shape(x_input)[0])[0]
        model = build_gen(z_dim, n, n_particles)
        variational = build_q_net(x_input, z_dim, n_particles,
                                  std_noise).observe()
        return ModelGraph(
            x_input=x_input, n=n, n_particles=n_particles,
            std_noise=std_noise, test_metrics=losses,
            **importance_sampling(model, {"x": x_input}, variational),
            **sampler_parts(model, variational, z_dim), **parts)

    def meta_nets(self, hparams, x, n_particles):
        return (build_gen(hparams["z_dim"], tf.shape(x)[0], n_particles),
                build_q_net(x, hparams["z_dim"], n_particles))
