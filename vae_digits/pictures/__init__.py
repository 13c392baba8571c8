"""Pictures of a trained model, drawn through its methods.

Layer 6: imports `core`, `data` and `models` (a trained model is handed
in, never loaded here).
- grids: PNG grids of images, as ZhuSuan's examples save them;
- figures: matplotlib figures (latent maps, learning curves);
- samples: random samples, the blog's variations, reconstructions;
- latent_space: latent.png, the manifold, interpolations;
- modes: what `generate` draws by --mode;
- epochs: the pictures drawn after every epoch of training.
"""
