"""`python -m vae_digits.lab`: each lab end to end on a small setting, its
CSV read back and checked for what its figure must show."""
import csv
import gzip
import os

import imageio.v3 as iio
import numpy as np
import pytest

import vae_digits
from tests import commands
from tests.helpers import write_idx_dir
from vae_digits.data import load_test_set
from vae_digits.labs.active_units import THRESHOLD
from vae_digits.labs.common import auroc

FASHION = "/usr/share/datasets/fashion-mnist"


def lab(*args, cwd):
    result = commands.run("vae_digits.lab", *args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result.stdout


def read_csv(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def test_the_labs_are_listed_and_an_unknown_one_is_refused(tmp_path):
    listing = lab(cwd=tmp_path)
    for name in ("bounds", "active-units", "iwae-vs-vae", "paradox"):
        assert f"\n  {name} " in listing
    result = commands.run("vae_digits.lab", "bound", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == ("error: unknown lab 'bound'; choose one of "
                             "bounds, active-units, iwae-vs-vae, paradox "
                             "(python -m vae_digits.lab lists them).\n")


@pytest.fixture(scope="module")
def bounds_run(served_mlp_dir, small_mnist, tmp_path_factory):
    out = tmp_path_factory.mktemp("bounds")
    stdout = lab("bounds", "--checkpoint-dir", served_mlp_dir,
                 "--data-path", small_mnist, "--n-images", "12",
                 "--max-particles", "400", "--temperatures", "3,60",
                 "--simulated", "6", "--chains", "8", "--leapfrogs", "5",
                 "--result-dir", str(out), cwd=out)
    return out, stdout


def paired_error(a, b):
    difference = np.asarray(a) - np.asarray(b)
    return difference.std(ddof=1) / np.sqrt(len(difference))


def test_bounds_are_ordered_elbo_l_k_ais(bounds_run):
    """ELBO <= L_K, nondecreasing in K, and AIS at many temperatures at
    least L_K with as many samples as it has chains; each within the
    noise of the paired per-image differences (3 standard errors)."""
    out, stdout = bounds_run
    images = read_csv(out / "bounds_per_image.csv")
    assert len(images) == 12
    column = {name: np.array([float(row[name]) for row in images])
              for name in images[0]}
    ks = [1, 2, 5, 10, 20, 50, 100, 200, 400]
    previous = column["elbo"]
    for k in ks:
        current = column[f"is_{k}"]
        assert current.mean() >= previous.mean() - 3 * paired_error(
            current, previous), k
        previous = current
    assert column["is_400"].mean() > column["elbo"].mean() + 1.
    assert column["ais_60"].mean() >= column["is_5"].mean() - 3 * \
        paired_error(column["ais_60"], column["is_5"])
    assert "Wrote " in stdout and " in " in stdout.splitlines()[-1]


def test_l_k_is_the_mean_over_groups_of_k_of_log_mean_exp():
    """bounds_by_k: equal weights give their value at every K (a mean,
    not a sum, of the K weights); two groups of 2 by hand."""
    from vae_digits.labs.bounds import bounds_by_k
    flat = bounds_by_k(np.full((3, 400), -90.), [1, 2, 5, 400])
    for k, values in flat.items():
        np.testing.assert_allclose(values, -90., atol=1e-9, err_msg=str(k))
    log_weights = np.log([[1., 3., 2., 6., 100.]])
    np.testing.assert_allclose(bounds_by_k(log_weights, [2])[2],
                               (np.log(2.) + np.log(4.)) / 2)

def test_bdmc_sandwiches_and_the_figure_shows_both(bounds_run):
    out, _ = bounds_run
    rows = read_csv(out / "bounds.csv")
    simulated = {(row["method"], row["setting"]): float(row["mean"])
                 for row in rows if row["data"] == "simulated"}
    for t in ("3", "60"):
        assert simulated[("AIS reverse", t)] > simulated[("AIS", t)] - 0.5
    # more temperatures, a narrower sandwich
    assert simulated[("AIS reverse", "60")] - simulated[("AIS", "60")] < \
        simulated[("AIS reverse", "3")] - simulated[("AIS", "3")]
    image = iio.imread(out / "bounds.png")
    assert image.shape[:2] == (500, 1200)
    # two panels of curves, not a blank figure: many distinct colours
    assert len(np.unique(image.reshape(-1, image.shape[-1]), axis=0)) > 50


def test_active_units_count_the_dimensions_above_the_threshold(
        served_mlp_dir, small_mnist, tmp_path):
    stdout = lab("active-units", "--checkpoint-dir", served_mlp_dir,
                 "--data-path", small_mnist, "--n-images", "300",
                 "--result-dir", str(tmp_path), cwd=tmp_path)
    rows = read_csv(tmp_path / "active_units.csv")
    activity = np.array([float(row["activity"]) for row in rows])
    active = [row["active"] == "True" for row in rows]
    assert len(rows) == 40 and np.all(np.diff(activity) <= 0)
    assert active == list(activity > THRESHOLD)
    count = sum(active)
    assert stdout.startswith(f"Active units: {count} of 40 (activity above "
                             f"{THRESHOLD})")
    # what the table claims: the variance of q's means over the images
    x, _ = load_test_set("mnist", small_mnist, True, 0)
    with vae_digits.load(served_mlp_dir) as vae:
        means = vae.encode(x[:300])
    dimensions = [int(row["dimension"]) for row in rows]
    np.testing.assert_allclose(activity, means.var(axis=0)[dimensions],
                               rtol=1e-3, atol=1e-9)


def test_auroc_equals_the_pairwise_count_with_ties_as_halves():
    rng = np.random.RandomState(0)
    inliers = np.round(rng.randn(300) + 0.7, 1)  # rounded: many ties
    outliers = np.round(rng.randn(200), 1)
    pairs = inliers[:, None] - outliers[None, :]
    reference = np.mean((pairs > 0) + 0.5 * (pairs == 0))
    assert auroc(inliers, outliers) == pytest.approx(reference, abs=1e-12)
    assert auroc([1, 2], [3, 4]) == 0. and auroc([3, 4], [1, 2]) == 1.
    with pytest.raises(ValueError):
        auroc([], [1.])


def small_fashion(directory):
    """1,200 Fashion training images and 300 test images, as IDX files."""
    def read(name, offset, shape):
        with gzip.open(os.path.join(FASHION, name)) as f:
            return np.frombuffer(f.read(), np.uint8, offset=offset)\
                .reshape(shape)
    images = read("t10k-images-idx3-ubyte.gz", 16, (-1, 28, 28))
    labels = read("t10k-labels-idx1-ubyte.gz", 8, (-1,))
    return write_idx_dir(directory, images[:1200], labels[:1200],
                         images[1200:1500], labels[1200:1500])


@pytest.mark.skipif(not os.path.isdir(FASHION), reason="Debian's "
                    "dataset-fashion-mnist is not installed")
def test_paradox_prints_the_auroc_of_its_scores(small_mnist, tmp_path):
    fashion = small_fashion(str(tmp_path / "fashion"))
    stdout = lab("paradox", "--epochs", "2", "--data-path", fashion,
                 "--ood-data-path", small_mnist, "--n-images", "150",
                 "--particles", "20", cwd=tmp_path)
    assert os.path.isfile(tmp_path / "checkpoints" /
                          "vae_digits_fashion-mnist" /
                          "vae.epoch.2.ckpt.index")
    directory = tmp_path / "results" / "vae_digits_fashion-mnist" / "labs" \
        / "paradox"
    scores = read_csv(directory / "paradox_scores.csv")
    table = read_csv(directory / "paradox.csv")
    for row, column in zip(table, ("log_likelihood", "corrected")):
        values = {name: [float(s[column]) for s in scores
                         if s["dataset"] == name]
                  for name in ("fashion", "mnist")}
        assert len(values["fashion"]) == len(values["mnist"]) == 150
        assert float(row["auroc"]) == pytest.approx(
            auroc(values["fashion"], values["mnist"]), abs=1e-9)
    printed = [line for line in stdout.splitlines()
               if line.startswith("AUROC = ")]
    assert [line.split()[2] for line in printed] == \
        [f"{float(row['auroc']):.3f}" for row in table]


def test_iwae_vs_vae_trains_alike_and_reports_burdas_figures(small_mnist,
                                                            tmp_path):
    stdout = lab("iwae-vs-vae", "--data-path", small_mnist, "--epochs", "1",
                 "--particles", "3", "--train-images", "256",
                 "--eval-particles", "20", "--n-images", "40", cwd=tmp_path)
    rows = read_csv(tmp_path / "results" / "labs" / "iwae-vs-vae" /
                    "iwae_vs_vae.csv")
    assert [(row["model"], row["K"]) for row in rows] == [("vae", "1"),
                                                          ("iwae", "3")]
    assert rows[0]["burda_log_likelihood"] == "-86.76"
    assert rows[1]["burda_log_likelihood"] == ""  # Burda has no K = 3
    for name in ("vae1", "iwae3"):
        assert os.path.isfile(tmp_path / "checkpoints" / "labs" /
                              "iwae-vs-vae" / name / "vae.epoch.1.ckpt.index")
    assert "== iwae K = 3: 1 epochs" in stdout
