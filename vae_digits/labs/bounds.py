"""Lab `bounds`: where does log p(x) lie, and how much of the gap does
each estimate close?

On the first --n-images test images: the ELBO (the mean of the log
weights log p(x, z) - log q(z | x) of z ~ q(z | x)), the importance-
weighted bound L_K for K from 1 to --max-particles (each the mean, over
the groups of K of the same --max-particles draws, of their log mean
exp, so that every K is measured on the same draws), and AIS at each of
--temperatures. On --simulated images drawn from the model itself, where
BDMC applies: forward and reverse AIS at each of --temperatures, which
sandwich log p(x), and the same L_K. One figure of both, the table of
means and standard errors, and each test image's figures.
"""
from __future__ import annotations

import argparse
import os
import time

import numpy as np

from vae_digits.core import arguments, config
from vae_digits.core.errors import UserError
from vae_digits.labs.common import Table, standard_error
from vae_digits.labs.loading import model_and_images
from vae_digits.pictures.figures import new_figure, save_png

NAME = "bounds"
SUMMARY = ("where log p(x) lies: the ELBO, L_K for K up to 5,000, AIS, and "
           "the BDMC sandwich on simulated images")
COLUMNS = ("data", "method", "setting", "mean", "standard_error", "seconds")
AIS_COLOURS = ("C1", "C2", "C4", "C5", "C6", "C7", "C8", "C9", "C1", "C2")
STEPS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000,
         20_000, 50_000)


def temperature_list(text):
    """--temperatures: comma-separated counts, e.g. 10,100,1000."""
    parts = [part for part in str(text).split(",") if part.strip()]
    if not 1 <= len(parts) <= 10:
        raise argparse.ArgumentTypeError(
            f"must be 1 to 10 comma-separated counts, got {text!r}")
    return sorted({arguments.temperatures(part.strip()) for part in parts})


def add_arguments(parser):
    parser.add_argument("--max-particles", type=arguments.int_range(1, 50_000),
                        default=5000, help="the largest K of L_K (the draws "
                        "every K is measured on)")
    parser.add_argument("--temperatures", type=temperature_list,
                        default=[10, 100, 1000],
                        help="AIS's temperatures, comma-separated")
    parser.add_argument("--chains", type=arguments.chains,
                        default=config.AIS_CHAINS, help="AIS chains per image")
    parser.add_argument("--leapfrogs", type=arguments.leapfrogs,
                        default=config.AIS_LEAPFROGS,
                        help="leapfrog steps of each HMC trajectory")
    parser.add_argument("--simulated", type=arguments.int_range(1, 1000),
                        default=20, help="images simulated from the model "
                        "for the BDMC sandwich")


def bounds_by_k(log_weights, ks):
    """{K: each image's L_K, the mean over the groups of K of the
    [n, K_max] log weights of its log mean exp}."""
    estimates = {}
    for k in ks:
        groups = log_weights[:, :log_weights.shape[1] // k * k].reshape(
            len(log_weights), -1, k)
        estimates[k] = np.mean(np.logaddexp.reduce(groups, axis=2)
                               - np.log(k), axis=1)
    return estimates


def run(args, directory, train=None):
    vae, x, _ = model_and_images(args)
    with vae:
        if vae.binary_codes or vae.has_labels:
            raise UserError(f"the {vae.model} model has no AIS (see "
                            "evaluate --method ais); run this lab on a "
                            "model with continuous codes.")
        ks = [k for k in STEPS if k < args.max_particles] + [args.max_particles]
        table, per_image = Table(COLUMNS), {}
        test = _test_bounds(vae, x, ks, args, table, per_image)
        simulated = _simulated_bounds(vae, ks, args, table)
        title = (f"{vae.model} model, epoch {vae.epoch}: {len(x)} test images,"
                 f" {args.simulated} simulated")
    per_image_table = Table(["image"] + list(per_image))
    for i in range(len(x)):
        per_image_table.add(image=i, **{name: float(values[i]) for name,
                                        values in per_image.items()})
    per_image_table.write_csv(os.path.join(directory, f"{NAME}_per_image.csv"))
    figure_path = os.path.join(directory, f"{NAME}.png")
    draw(test, simulated, title, figure_path)
    return table, [figure_path]


def _timed(compute):
    start = time.time()
    return compute(), time.time() - start


def _test_bounds(vae, x, ks, args, table, per_image):
    """The ELBO, L_K and AIS of the test images: into `table` and
    `per_image`; returns what the figure draws."""
    log_weights, seconds = _timed(lambda: vae.log_weights(x, ks[-1]))
    elbo = log_weights.mean(axis=1)
    per_image["elbo"] = elbo
    table.add(data="test", method="ELBO", setting="", mean=elbo.mean(),
              standard_error=standard_error(elbo), seconds=seconds)
    drawn = {"elbo": elbo.mean(), "is": [], "ais": []}
    for k, values in bounds_by_k(log_weights, ks).items():
        per_image[f"is_{k}"] = values
        table.add(data="test", method="IS", setting=k, mean=values.mean(),
                  standard_error=standard_error(values), seconds=seconds)
        drawn["is"].append((k, values.mean(), standard_error(values)))
    for t in args.temperatures:
        values, seconds = _timed(lambda t=t: vae.ais(
            x, chains=args.chains, temperatures=t, leapfrogs=args.leapfrogs,
            seed=args.seed))
        per_image[f"ais_{t}"] = values
        table.add(data="test", method="AIS", setting=t, mean=values.mean(),
                  standard_error=standard_error(values), seconds=seconds)
        drawn["ais"].append((t, values.mean()))
    return drawn


def _simulated_bounds(vae, ks, args, table):
    """BDMC's forward and reverse AIS and L_K of the simulated images:
    into `table`; returns what the figure draws."""
    drawn = {"forward": [], "reverse": []}
    images = None
    for t in args.temperatures:
        result, seconds = _timed(lambda t=t: vae.bdmc(
            args.simulated, chains=args.chains, temperatures=t,
            leapfrogs=args.leapfrogs, seed=args.seed))
        images = result["images"]  # the same for every t: one seed
        for end, method in (("forward", "AIS"), ("reverse", "AIS reverse")):
            values = result[end]
            table.add(data="simulated", method=method, setting=t,
                      mean=values.mean(), standard_error=standard_error(values),
                      seconds=seconds / 2)
            drawn[end].append((t, values.mean()))
    log_weights, seconds = _timed(lambda: vae.log_weights(images, ks[-1]))
    drawn["elbo"] = log_weights.mean()
    table.add(data="simulated", method="ELBO", setting="", mean=drawn["elbo"],
              standard_error=standard_error(log_weights.mean(axis=1)),
              seconds=seconds)
    estimates = bounds_by_k(log_weights, ks[-1:])[ks[-1]]
    drawn["is"] = (ks[-1], estimates.mean())
    table.add(data="simulated", method="IS", setting=ks[-1],
              mean=estimates.mean(), standard_error=standard_error(estimates),
              seconds=seconds)
    return drawn


def draw(test, simulated, title, path):
    """Left, the test images: L_K against K, the ELBO and each AIS as
    lines; right, the simulated images: BDMC's two bounds closing in as
    the temperatures grow, with the ELBO and L_K of the same images."""
    figure = new_figure(figsize=(12, 5), dpi=100)
    left, right = figure.subplots(1, 2)
    ks = _draw_test(left, test)
    temperatures = _draw_simulated(right, simulated)
    for ax, ticks in ((left, ks), (right, temperatures)):
        ax.set_xscale("log")
        ax.set_xticks(ticks)
        ax.set_xticklabels([str(t) for t in ticks], fontsize=8)
        ax.minorticks_off()
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    figure.suptitle(title)
    figure.tight_layout()
    save_png(figure, path)


def _draw_test(ax, test):
    """The test images' panel; returns its Ks."""
    ks, means = (list(v) for v in list(zip(*test["is"]))[:2])
    ax.plot(ks, means, "o-", color="C0", label="L_K (importance sampling)")
    ax.axhline(test["elbo"], color="C3", ls="--", label="ELBO")
    for colour, (t, mean) in zip(AIS_COLOURS, test["ais"]):
        ax.axhline(mean, color=colour, ls=":", lw=2,
                   label=f"AIS, {t} temperatures")
    ax.set_xlabel("K, samples of z per image")
    ax.set_ylabel("mean log p(x) estimate (nats)")
    ax.set_title("test images")
    return ks


def _draw_simulated(ax, simulated):
    """The simulated images' panel; returns its temperatures."""
    temperatures = [t for t, _ in simulated["forward"]]
    lower = [m for _, m in simulated["forward"]]
    upper = [m for _, m in simulated["reverse"]]
    ax.fill_between(temperatures, lower, upper, color="C2", alpha=0.2,
                    label="log p(x) lies in here")
    ax.plot(temperatures, lower, "o-", color="C2",
            label="forward AIS (lower bound)")
    ax.plot(temperatures, upper, "s-", color="C4",
            label="reverse AIS (upper bound)")
    ax.axhline(simulated["is"][1], color="C0",
               label=f"L_K, K = {simulated['is'][0]}")
    ax.axhline(simulated["elbo"], color="C3", ls="--", label="ELBO")
    ax.set_xlabel("AIS temperatures")
    ax.set_ylabel("mean log p(x) bound (nats)")
    ax.set_title("simulated images: the BDMC sandwich")
    return temperatures
