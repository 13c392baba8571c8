"""Every default of the package, stated once: the blog's values.

The command-line interfaces, the model and the data loader read their
defaults from here, so a value changes in one place only.
"""

# Model (the blog: 784 pixels, 40 latent dimensions, 2x500 ReLU layers).
X_DIM = 784
# The blog's model reads binary pixels: a grey level fed to it is 1 from
# this level up, 0 below (vae.encode and the exported page alike).
GREY_THRESHOLD = 0.5
Z_DIM = 40
HIDDEN_UNITS = 500
IMAGE_SHAPE = (28, 28)

# Training.
EPOCHS = 1000
BATCH_SIZE = 128
LEARNING_RATE = 0.001
SAVE_FREQ = 100
# Latent codes one training step may decode (images x samples of z, the
# iwae and bernoulli models' --particles): about 1.4 GB of the blog's
# decoder's activations, and their gradients as much again.
MAX_TRAINING_ROWS = 200_000
MAX_TO_KEEP = 10

# Evaluation, as in the ZhuSuan tutorial: 1000 importance-sampling
# particles, test digits in batches of 400. The particles are drawn in
# chunks of at most IS_ROWS_PER_RUN latent codes per run of the graph,
# which bounds the memory of an evaluation.
TEST_N_PARTICLES = 1000
MAX_PARTICLES = 1_000_000  # particles per image, drawn in bounded chunks
TEST_BATCH_SIZE = 400
TEST_FREQ = 0
IS_ROWS_PER_RUN = 10000
# Draws of z ~ q(z | x) behind vae.elbo_parts' reconstruction term, and
# the decodings the explore page shows beside the image.
ELBO_SAMPLES = 5
# The most log weights one call of vae.log_weights returns (80 MB).
MAX_LOG_WEIGHTS = 10_000_000

# Annealed importance sampling (evaluate --method ais|bdmc), as Wu et al.
# (2017) ran it on VAEs: 16 chains per image, 1000 temperatures on a
# sigmoid schedule, one HMC trajectory of 10 leapfrog steps each, the
# step size adapted towards 65% acceptance (ZhuSuan's vae_eval.py). Each
# run of the graph moves at most AIS_ROWS_PER_RUN chains (images x
# chains), which bounds its memory; AIS evaluates 100 test images unless
# told otherwise, as each takes about a second at these settings.
AIS_CHAINS = 16
AIS_TEMPERATURES = 1000
AIS_LEAPFROGS = 10
AIS_IMAGES = 100
AIS_ROWS_PER_RUN = 8192
AIS_STEP_SIZE = 0.05
AIS_TARGET_ACCEPTANCE = 0.65
# Their limits: far beyond any use, and each run's memory stays bounded.
MAX_CHAINS = 1000
MAX_TEMPERATURES = 100_000
MAX_LEAPFROGS = 100
MAX_SIMULATED = 10_000  # bdmc's simulated images, as many as a test set

# Paths, relative to the working directory as in the blog's script; each
# model's directories under the two roots are named by its DIRECTORY
# (the blog's: checkpoints/vae_digits and results/vae_digits).
DATA_DIR = "data"
PICKLE_NAME = "mnist.pkl.gz"
CHECKPOINT_ROOT = "checkpoints"
RESULT_ROOT = "results"
CHECKPOINT_PREFIX = "vae.epoch.{}.ckpt"
MODEL_CONFIG_NAME = "model_config.json"

# Generation: the blog's test digits (indices of the digits 0, 1, ..., 9
# in the MNIST test set), samples per digit and log-std noise.
DIGITS = (3, 2, 1, 90, 95, 23, 11, 0, 84, 7)
N_SAMPLES = 100
STD_NOISE = 0.7
GRID_SHAPE = (10, 10)
# generate --scale: each pixel of a grid drawn N x N, and the largest
# side a scaled picture may have; --captions: the band's height at 1x.
MAX_SCALE = 10
MAX_SCALED_SIDE = 10_000
CAPTION_HEIGHT = 14
RANDOM_SAMPLES_NAME = "random_samples.png"
N_CLASSES = 10
# A model conditioned on the digit: rows of one style across the digits.
CONDITIONED_ROWS = 10
CONDITIONED_SAMPLES_NAME = "conditioned_samples.png"
# The latent space (generate --mode latent / manifold / interpolate): the
# post's grid from -3 to 3 in steps of 0.5, and 10 steps per pair.
GRID_SIZE = 13
GRID_RANGE = 3.
INTERPOLATION_STEPS = 10
ROWS_PER_RUN = 1000  # images encoded or decoded per run of the graph
# The most images one call of a trained model returns (3.1 GB of float32
# pixels); a call asks for no more than the memory it can see either.
MAX_IMAGES_PER_CALL = 1_000_000
# The log-std noise a trained model's vary() takes: exp(10) = 22,026 times
# the encoder's standard deviation is already far beyond any use.
MAX_STD_NOISE = 10.
RECONSTRUCTIONS_NAME = "reconstructions.png"

# The training record, in the result directory: a sample grid per saved
# checkpoint (as the tutorial), the metrics log and TensorBoard's events.
EPOCH_SAMPLES_NAME = "vae.epoch.{}.png"
METRICS_NAME = "metrics.csv"
LOG_DIR_NAME = "logs"

# Exports (python -m vae_digits.export) go to export/ in the result
# directory; the projector shows the codes of the first PROJECTOR_IMAGES
# test images by default, the html page HTML_IMAGES (784 bytes each in
# the file), both at most MAX_PROJECTOR_IMAGES (the projector's sprite of
# 100 x 100 images of 28 pixels stays under TensorBoard's 8,192; the
# served page's map holds as many).
EXPORT_DIR_NAME = "export"
PROJECTOR_IMAGES = 1000
HTML_IMAGES = 500
MAX_PROJECTOR_IMAGES = 10_000
