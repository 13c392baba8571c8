"""The labs: the experiments that answer what people ask of a VAE's
numbers next, each one command and a figure (`python -m vae_digits.lab
NAME`).

Layer 11: imports every layer below. Each lab is one module with `NAME`,
`SUMMARY`, `add_arguments(parser)` (its own flags) and `run(args,
directory)`, which writes its figure(s) into `directory` and returns
(its Table, the figures' paths):
- bounds: where log p(x) lies (the ELBO, L_K, AIS, the BDMC sandwich);
- active_units: which latent dimensions the model uses;
- iwae_vs_vae: Burda et al.'s Table 1 at this data size;
- paradox: higher likelihood for images never seen, and a remedy.
common: their tables, standard errors and the AUROC; loading: the model
and test images a lab looks at.
"""
from vae_digits.labs import active_units, bounds, iwae_vs_vae, paradox

LABS = {lab.NAME: lab for lab in (bounds, active_units, iwae_vs_vae,
                                  paradox)}

__all__ = ["LABS"]
