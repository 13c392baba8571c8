"""A training run, as `python -m vae_digits.train` and
`vae_digits.train(...)` start it: check everything that can be checked
before TensorFlow starts, take the directories' locks, build the graph,
restore the newest checkpoint and hand the epochs to loop.py; at the end,
the pictures `generate` draws by default."""
import os

import numpy as np

from vae_digits import data, models
from vae_digits.checkpoints.model_config import check_model_config
from vae_digits.checkpoints.names import checkpoint_path, latest_checkpoint
from vae_digits.core import config
from vae_digits.core.errors import UserError
from vae_digits.core.files import check_writable_directory
from vae_digits.data import catalog
from vae_digits.training.locking import lock_directories
from vae_digits.training.loop import CURVES_NAME

__all__ = ["train", "load_data", "check_inputs"]


def train(args, data_arrays, rng):
    """Train the model of the flags `args` (train.py's) on `data_arrays`
    (load_training_data's) to --epochs. Returns [(epoch, seconds, {name:
    value})] of the epochs run (none if the checkpoints already reached
    --epochs)."""
    model = models.get(args.model)
    x_train, _, x_test, t_test = data_arrays
    model_config = dict(model=model.name, dataset=args.dataset,
                        x_dim=x_train.shape[1])
    model_config.update((h.name, getattr(args, h.name))
                        for h in model.hyperparameters)
    digits = check_inputs(args, x_train, x_test, t_test, model_config)
    model_config["data_path"] = os.path.abspath(args.data_path)
    with lock_directories((("--checkpoint-dir", args.checkpoint_dir),
                           ("--result-dir", args.result_dir))):
        history = _train_locked(args, data_arrays, rng, model, model_config,
                                digits)
    logs = ("" if os.path.dirname(os.path.normpath(args.log_dir)) ==
            os.path.normpath(args.result_dir) else
            f" (the logs in {args.log_dir})")
    print(f"Checkpoints are in {args.checkpoint_dir}; pictures, "
          f"{config.METRICS_NAME} and TensorBoard's logs in "
          f"{args.result_dir}{logs}", flush=True)
    return history


def check_inputs(args, x_train, x_test, t_test, model_config):
    """Everything that can be checked before TensorFlow starts; returns
    the test images drawn at the end of training."""
    if args.batch_size > x_train.shape[0]:
        images = "digits" if args.dataset == "mnist" else "images"
        raise UserError(f"--batch-size {args.batch_size} is larger than the "
                        f"{x_train.shape[0]} training {images}; pass a "
                        "smaller one.")
    rows = models.get(args.model).training_rows(model_config, args.batch_size)
    if rows > config.MAX_TRAINING_ROWS:
        raise UserError(f"--particles {model_config['particles']} x --batch-size "
                        f"{args.batch_size} is {rows:,} latent codes a step, "
                        f"more than the {config.MAX_TRAINING_ROWS:,} one step may "
                        "decode; pass a smaller --particles or --batch-size.")
    if latest_checkpoint(args.checkpoint_dir) is not None:
        check_model_config(args.checkpoint_dir, model_config)
    digits = data.select_digits(x_test, data.default_digits(args.dataset,
                                                            t_test))
    for flag, path in (("--checkpoint-dir", args.checkpoint_dir),
                       ("--result-dir", args.result_dir),
                       ("--log-dir", args.log_dir)):
        check_writable_directory(flag, path, create=False)
    return digits


def _train_locked(args, data_arrays, rng, model, model_config, digits):
    """train, once its directories are its own."""
    # TensorFlow is imported only once the inputs have been checked.
    from vae_digits.checkpoints.saving import restore_newest
    from vae_digits.core.compat import tf
    from vae_digits.pictures import samples

    tf_graph, graph, saver, init = _build(args, model, model_config)
    with tf_graph.as_default(), tf.Session() as sess:
        sess.run(init)
        restored_epoch = restore_newest(sess, saver, args.checkpoint_dir)
        if restored_epoch >= args.epochs:
            print(f"{checkpoint_path(args.checkpoint_dir, restored_epoch)} "
                  f"already reached epoch {restored_epoch} (--epochs "
                  f"{args.epochs}): nothing to train.")
            return []
        run = _start_run(sess, graph, saver, tf_graph, args, model,
                         model_config, data_arrays, digits, restored_epoch)
        try:
            history = run.epochs(data_arrays, rng, restored_epoch)
        finally:
            run.writing("TensorBoard's events", run.record.close)
        run.writing("the pictures generate draws", samples.write_defaults,
                    run.vae, digits, config.N_SAMPLES, config.STD_NOISE,
                    args.result_dir, args.seed)
        run.writing(CURVES_NAME, run.draw_curves)
        if run.failure:
            raise run.failed(args.epochs)
    return history


def _build(args, model, model_config):
    """(tf.Graph, its ModelGraph, a Saver, the initializer), finalized."""
    from vae_digits.core.compat import tf
    with tf.Graph().as_default() as tf_graph:
        if args.seed is not None:
            tf.set_random_seed(args.seed)
        graph = model.build(model_config, learning_rate=args.learning_rate,
                            batch_size=args.batch_size)
        # max_to_keep=0: saving.save_checkpoint deletes old checkpoints
        saver = tf.train.Saver(max_to_keep=0)
        init = tf.global_variables_initializer()
        tf_graph.finalize()
    return tf_graph, graph, saver, init


def _start_run(sess, graph, saver, tf_graph, args, model, model_config,
               data_arrays, digits, restored_epoch):
    """A loop.Run with its record and per-epoch pictures."""
    from vae_digits.pictures.epochs import EpochPictures
    from vae_digits.trained import TrainedModel
    from vae_digits.training.loop import Run
    from vae_digits.training.record import TrainingRecord

    _, _, x_test, t_test = data_arrays
    record = TrainingRecord(
        os.path.join(args.result_dir, config.METRICS_NAME), args.log_dir,
        restored_epoch, model.fields(), graph=tf_graph)
    kinds = model.epoch_pictures or (
        ("latent", "reconstructions") if args.epoch_pictures else ())
    pictures = EpochPictures(
        kinds, args.result_dir, x_test, t_test,
        catalog.get(args.dataset).class_names, digits, args.seed)
    vae = TrainedModel(sess, graph, model_config)
    return Run(sess, graph, saver, vae, record, pictures, args, model)


def load_data(args):
    """The training data of the flags `args`, from a RandomState of
    --seed: (data arrays as load_training_data gives them, the rng)."""
    rng = np.random.RandomState(args.seed)
    model = models.get(args.model)
    arrays = data.load_training_data(args.data_path, rng, model.train_share,
                                     model.binarized, args.dataset,
                                     args.train_images)
    return arrays, rng
