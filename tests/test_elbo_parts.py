"""vae.elbo_parts: what the ELBO of one digit is made of, as the explore
page shows it, checked against the graph's own ELBO parts (evaluate's
`reconstruction` and `kl`, sampled by TensorFlow) on the same image."""
import numpy as np
import pytest

import vae_digits
from vae_digits.data import load_test_set


@pytest.fixture(scope="module")
def blog(served_mlp_dir, small_mnist):
    x, _ = load_test_set("mnist", small_mnist, True, 0)
    with vae_digits.load(served_mlp_dir, seed=3) as vae:
        yield vae, x


def test_the_parts_are_the_graphs_elbo_parts(blog):
    vae, x = blog
    parts = vae.elbo_parts(x[7].reshape(28, 28), n_samples=1000, seed=1)
    # the graph's one-draw estimates of the same image, 4,000 times over
    repeated = vae.evaluate(np.repeat(x[7:8], 4000, axis=0), n_particles=1)
    assert parts["reconstruction"] == pytest.approx(
        repeated["reconstruction"], abs=1.5)
    assert parts["kl"] == pytest.approx(repeated["kl"], abs=0.5)
    assert parts["elbo"] == pytest.approx(-(parts["reconstruction"]
                                            + parts["kl"]))
    assert parts["kl_per_dimension"].shape == (40,)
    assert parts["kl_per_dimension"].sum() == pytest.approx(parts["kl"])
    assert np.all(parts["kl_per_dimension"] >= 0)
    assert parts["decodings"].shape == (1000, 28, 28)
    np.testing.assert_array_equal(parts["image"], x[7].reshape(28, 28))


def test_the_kl_of_each_dimension_is_its_gaussians_in_closed_form(blog):
    vae, x = blog
    parts = vae.elbo_parts(x[3].reshape(28, 28), n_samples=3, seed=0)
    means, stds = vae.encode(x[3:4], std=True)
    expected = 0.5 * (means ** 2 + stds ** 2 - np.log(stds ** 2) - 1)[0]
    np.testing.assert_allclose(parts["kl_per_dimension"], expected,
                               rtol=1e-5, atol=1e-6)
    # the same seed, the same draws; the decodings are those draws'
    again = vae.elbo_parts(x[3].reshape(28, 28), n_samples=3, seed=0)
    np.testing.assert_array_equal(again["decodings"], parts["decodings"])
    codes = means + stds * np.random.RandomState(0).randn(3, 40)
    np.testing.assert_allclose(parts["decodings"], vae.decode(codes),
                               atol=1e-6)


def test_the_kl_of_a_bit_is_from_a_fair_coin():
    """The bernoulli model's bars: KL(Bernoulli(p) || Bernoulli(1/2)) of
    each bit, by its definition; nothing for a fair bit, the same for p
    and 1 - p, log 2 for a certain one."""
    from vae_digits.trained.measures import latent_kl
    p = np.array([0.5, 0.1, 0.9, 0.3, 1e-9, 1. - 1e-9])
    kl = latent_kl(p, np.sqrt(p * (1 - p)), binary_codes=True)
    expected = p * np.log(p / 0.5) + (1 - p) * np.log((1 - p) / 0.5)
    np.testing.assert_allclose(kl, expected, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(kl[[1, 3]], [0.368064, 0.0822829], rtol=1e-5)
    assert kl[0] == 0 and abs(kl[4] - np.log(2)) < 1e-6
