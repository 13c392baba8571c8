"""BayesianNet, StochasticTensor, MetaBayesianNet and reuse_variables."""
import numpy as np
import pytest

from tests.helpers import session
from vae_digits import zhusuan as zs
from vae_digits.core.compat import tf
from vae_digits.models.layers import dense


def test_observed_node_returns_the_observed_value_cast_to_its_dtype():
    with session() as sess:
        bn = zs.BayesianNet(observed={"x": np.array([[1., 0., 1.]])})
        x = bn.bernoulli("x", tf.zeros([1, 3]), group_ndims=1)
        z = bn.normal("z", tf.zeros([1, 2]), std=1.)
        assert x.is_observed and not z.is_observed
        assert (x.name, z.name) == ("x", "z") and list(bn.nodes) == ["x", "z"]
        assert x.tensor.dtype == tf.int32
        np.testing.assert_array_equal(sess.run(bn["x"]), [[1, 0, 1]])
        np.testing.assert_allclose(sess.run(bn.cond_log_prob("x")),
                                   3 * np.log(0.5), rtol=1e-6)


def test_stochastic_tensor_acts_as_a_tensor():
    with session() as sess:
        bn = zs.BayesianNet(observed={"z": [[1., 2.], [3., 4.]]})
        z = bn.normal("z", tf.zeros([2, 2]), std=1.)
        results = sess.run([z, z + 1., 2. * z, -z, z[1], tf.reduce_sum(z),
                            tf.matmul(z, z), np.float32(1.) + z])
    np.testing.assert_array_equal(results[0], [[1., 2.], [3., 4.]])
    np.testing.assert_array_equal(results[1], [[2., 3.], [4., 5.]])
    np.testing.assert_array_equal(results[2], [[2., 4.], [6., 8.]])
    np.testing.assert_array_equal(results[3], [[-1., -2.], [-3., -4.]])
    np.testing.assert_array_equal(results[4], [3., 4.])
    assert results[5] == 10.
    np.testing.assert_array_equal(results[6], [[7., 10.], [15., 22.]])
    np.testing.assert_array_equal(results[7], [[2., 3.], [4., 5.]])


def test_log_joint_sums_the_stochastic_nodes_and_deterministic_is_kept():
    with session() as sess:
        bn = zs.BayesianNet(observed={"z": [0.5], "x": [1]})
        z = bn.normal("z", 0., std=1.)
        bn.deterministic("double", 2. * z)
        bn.bernoulli("x", z)
        log_joint, parts, double = sess.run(
            [bn.log_joint(), bn.cond_log_prob(["z", "x"]), bn["double"]])
    np.testing.assert_allclose(log_joint, parts[0] + parts[1], rtol=1e-6)
    np.testing.assert_allclose(parts[1], -np.log1p(np.exp(-0.5)), rtol=1e-6)
    np.testing.assert_allclose(double, [1.])
    with pytest.raises(ValueError, match="already"):
        bn.normal("z", 0., std=1.)
    with pytest.raises(KeyError, match="No node"):
        bn["missing"]


@zs.meta_bayesian_net(scope="shared", reuse_variables=True)
def shared_model(x):
    bn = zs.BayesianNet()
    bn.normal("y", dense(x, 2), std=1.)
    return bn


@zs.meta_bayesian_net(scope="fresh")
def fresh_model(x):
    bn = zs.BayesianNet()
    bn.normal("y", dense(x, 2), std=1.)
    return bn


def test_observe_and_rebuild_share_variables_only_with_reuse():
    with tf.Graph().as_default():
        x = tf.ones([1, 3])
        meta = shared_model(x)
        first, second = meta.observe(), meta.observe(y=tf.zeros([1, 2]))
        assert [v.name for v in tf.global_variables()] == [
            "shared/dense/kernel:0", "shared/dense/bias:0"]
        assert second["y"].is_observed and not first["y"].is_observed

        other = shared_model(tf.zeros([5, 3]))  # another MetaBayesianNet of
        other.observe()                         # the same builder shares
        assert len(tf.global_variables()) == 2

        fresh = fresh_model(x)
        fresh.observe()
        fresh.observe()
        assert sorted(v.name for v in tf.global_variables()
                      if v.name.startswith("fresh")) == [
            "fresh/dense/bias:0", "fresh/dense/kernel:0",
            "fresh_1/dense/bias:0", "fresh_1/dense/kernel:0"]


def test_reuse_variables_on_a_plain_function():
    @zs.reuse_variables("layer")
    def layer(x):
        return dense(x, 4)

    with session() as sess:
        x = tf.ones([2, 3])
        a, b = layer(x), layer(x)
        sess.run(tf.global_variables_initializer())
        assert len(tf.global_variables()) == 2
        np.testing.assert_array_equal(*sess.run([a, b]))


def test_builder_must_return_a_bayesian_net():
    @zs.meta_bayesian_net()
    def broken():
        return None

    with tf.Graph().as_default(), pytest.raises(TypeError, match="BayesianNet"):
        broken().observe()
