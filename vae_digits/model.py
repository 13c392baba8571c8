"""The blog's VAE: the generative net and the variational net.

These are the two builders of the blog post, verbatim but for `dense`
standing in for `tf.layers.dense` (see layers.py).
"""
from vae_digits import zhusuan as zs
from vae_digits.compat import tf
from vae_digits.config import HIDDEN_UNITS
from vae_digits.layers import dense


# build the decoder: z ~ N(0, I), x ~ Bernoulli(sigmoid(f_NN(z)))
@zs.meta_bayesian_net(scope="gen", reuse_variables=True)
def build_gen(x_dim, z_dim, n, n_particles=1):
    bn = zs.BayesianNet()
    z_mean = tf.zeros([n, z_dim])
    z = bn.normal("z", z_mean, std=1., group_ndims=1, n_samples=n_particles)
    h = dense(z, HIDDEN_UNITS, activation=tf.nn.relu)
    h = dense(h, HIDDEN_UNITS, activation=tf.nn.relu)
    x_logits = dense(h, x_dim)
    bn.deterministic("x_mean", tf.sigmoid(x_logits))
    bn.bernoulli("x", x_logits, group_ndims=1)
    return bn


# build the encoder: q(z | x) = N(z_mean(x), exp(z_logstd(x) + std_noise)^2)
@zs.meta_bayesian_net(scope="q_net", reuse_variables=True)
def build_q_net(x, z_dim, n_z_per_x, std_noise=0):
    bn = zs.BayesianNet()
    h = dense(tf.cast(x, tf.float32), HIDDEN_UNITS, activation=tf.nn.relu)
    h = dense(h, HIDDEN_UNITS, activation=tf.nn.relu)
    z_mean = dense(h, z_dim)
    z_logstd = dense(h, z_dim) + std_noise
    bn.normal("z", z_mean, logstd=z_logstd, group_ndims=1,
              n_samples=n_z_per_x)
    return bn
