"""`--format savedmodel`: a trained model as a TensorFlow SavedModel, for
TensorFlow's own tools (`tf.saved_model.load`, TensorFlow Serving,
`saved_model_cli`) in a Python that does not have vae_digits.

The model's own graph, the one `vae_digits.load` builds, is built afresh
and cut down to what decode, encode and classify run; it is imported
into a new graph behind the signatures' inputs, and its weights, read
from the checkpoint as numpy arrays, become variables of the same names
in `variables/`. So the SavedModel computes what the TrainedModel does,
for every model of the package and models of the user's own alike.

Signatures (tag `serve`, method `tensorflow/serving/predict`, batch
dimension None, float32):
- `decode`: `codes` [n, code_dim] -> `images` [n, 28, 28], the decoder's
  pixel means (the conditional model's codes are z followed by the ten
  class probabilities, as TrainedModel.decode takes them);
- `encode`: `images` [n, 28, 28] in [0, 1] -> `mean`, `std` [n, z_dim] of
  q(z | x);
- `classify`, for a model that reads the digit: `images` ->
  `probabilities` [n, 10];
- `serving_default`: `decode`.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from vae_digits import models
from vae_digits.core.compat import tf
from vae_digits.core.config import IMAGE_SHAPE, N_CLASSES, X_DIM
from vae_digits.core.errors import UserError
from vae_digits.trained import TrainedModel

__all__ = ["write_savedmodel", "read_weights", "decode_with", "SIGNATURES"]

SIGNATURES = ("decode", "encode", "classify", "serving_default")
# The parts of a graph.ModelGraph the signatures return.
_OUTPUTS = ("decoded", "latent_means", "latent_stds", "codes")


def write_savedmodel(vae: TrainedModel, directory: str,
                     test_set: object = None) -> str:
    """Write the SavedModel of `vae` into the empty `directory`; returns
    what it holds, in words. `test_set` is not used."""
    graph_def, names, variables = _model_graph(vae)
    weights = read_weights(vae.checkpoint, variables)
    with tf.Graph().as_default():
        # resource variables: TensorFlow 2 loads them as tf.Variables
        created = {name: tf.Variable(tf.zeros(value.shape, value.dtype),
                                     name=name, use_resource=True)
                   for name, value in weights.items()}
        signatures = _signatures(vae, graph_def, names, created)
        with tf.Session() as session:
            for name, variable in created.items():
                variable.load(weights[name], session)
            builder = tf.saved_model.Builder(directory)
            builder.add_meta_graph_and_variables(
                session, [tf.saved_model.SERVING],
                signature_def_map=signatures, strip_default_attrs=True)
            builder.save()
    return f"a SavedModel (signatures {', '.join(signatures)})"


def _model_graph(vae):
    """(the GraphDef of the parts decode, encode and classify run, without
    the variables, the names of its inputs and outputs, the names of the
    variables it reads) of the model of `vae`, built as load builds it."""
    with tf.Graph().as_default() as graph:
        parts = models.get(vae.model).build(vae.hparams)
        outputs = [getattr(parts, name) for name in _OUTPUTS]
        graph_def = tf.graph_util.extract_sub_graph(
            graph.as_graph_def(), [tensor.op.name for tensor in outputs])
        used = {node.name for node in graph_def.node}
        variables = [v.op.name for v in tf.trainable_variables()
                     if v.op.name in used]
    names = dict(zip(_OUTPUTS, (tensor.name for tensor in outputs)),
                 x_input=parts.x_input.name, code_input=parts.code_input.name)
    return _without_variables(graph_def, variables), names, variables


def _without_variables(graph_def, variables):
    """`graph_def` less the variables and their `read` snapshots, which
    the export's own variables stand in for; UserError if anything else
    reads a variable."""
    dropped = set(variables) | {f"{name}/read" for name in variables}
    kept = [node for node in graph_def.node if node.name not in dropped]
    for node in kept:
        node.attr.pop("_class", None)  # colocation with a dropped variable
        reads = {source.lstrip("^").split(":")[0] for source in node.input}
        if reads & set(variables):
            raise UserError(f"cannot export: {node.name} reads the variable "
                            f"{sorted(reads & set(variables))[0]} other than "
                            "through its value; build the model with "
                            "tf.get_variable's variables (models/layers.py).")
    del graph_def.node[:]
    graph_def.node.extend(kept)
    return graph_def


def read_weights(checkpoint: str, variables: list[str]
                 ) -> dict[str, np.ndarray]:
    """{name: numpy array} of `variables` in `checkpoint`; UserError if
    it cannot be read."""
    try:
        reader = tf.train.load_checkpoint(checkpoint)
        return {name: reader.get_tensor(name) for name in variables}
    except (tf.errors.OpError, ValueError) as e:
        message = str(e).strip().splitlines()[0] if str(e).strip() else \
            type(e).__name__
        raise UserError(f"cannot read the weights of {checkpoint} ("
                        f"{message}); check that no training run deleted it "
                        "meanwhile, and export again.") from None


def decode_with(vae: TrainedModel, change: Callable[[np.ndarray], np.ndarray],
                codes: np.ndarray) -> np.ndarray:
    """The decoder's pixel means [n, 784] of `codes` as the model of `vae`
    computes them with change(weight) in place of each of its weights
    (e.g. rounded to float16)."""
    graph_def, names, variables = _model_graph(vae)
    weights = read_weights(vae.checkpoint, variables)
    with tf.Graph().as_default():
        code_input = tf.placeholder(tf.float32, [None, vae.code_dim])
        input_map = {names["code_input"]: code_input}
        input_map.update((f"{name}/read:0", tf.constant(change(value)))
                         for name, value in weights.items())
        [decoded] = tf.import_graph_def(
            graph_def, input_map=input_map, name="model",
            return_elements=[names["decoded"]])
        with tf.Session() as session:
            return session.run(decoded, {code_input: codes})


def _signatures(vae, graph_def, names, variables):
    """The SignatureDefs of the model of `graph_def`, imported into the
    default graph behind their inputs, on `variables` ({name: Variable})."""
    images = tf.placeholder(tf.float32, (None,) + IMAGE_SHAPE, name="images")
    codes = tf.placeholder(tf.float32, [None, vae.code_dim], name="codes")
    input_map = {names["x_input"]: tf.reshape(images, [-1, X_DIM]),
                 names["code_input"]: codes}
    input_map.update((f"{name}/read:0", variable.value())
                     for name, variable in variables.items())
    decoded, means, stds, model_codes = tf.import_graph_def(
        graph_def, input_map=input_map, name="model",
        return_elements=[names[name] for name in _OUTPUTS])
    predict = tf.saved_model.signature_def_utils.predict_signature_def
    decode = predict({"codes": codes}, {"images": tf.reshape(
        decoded, (-1,) + IMAGE_SHAPE, name="decoded")})
    signatures = {"decode": decode, "encode": predict(
        {"images": images}, {"mean": tf.identity(means, name="mean"),
                             "std": tf.identity(stds, name="std")})}
    if vae.has_labels:
        probabilities = model_codes[:, vae.z_dim:vae.z_dim + N_CLASSES]
        signatures["classify"] = predict({"images": images}, {
            "probabilities": tf.identity(probabilities,
                                         name="probabilities")})
    signatures["serving_default"] = decode
    return signatures
