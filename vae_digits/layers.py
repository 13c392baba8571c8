"""`dense`: a stand-in for `tf.layers.dense`, which Keras 3 took away.

It makes the same variables as `tf.layers.dense` did, so checkpoints move
both ways between this package and the original script: `kernel`
[in, units] with Glorot-uniform initialisation and `bias` [units] with
zeros, in a variable scope named `dense`, `dense_1`, ... numbered per
enclosing scope exactly as TF1's layers numbered them.
"""
from vae_digits.compat import tf

__all__ = ["dense"]


def dense(inputs, units, activation=None, name=None):
    """activation(inputs @ kernel + bias) over the last axis of `inputs`."""
    inputs = tf.convert_to_tensor(inputs)
    if not inputs.dtype.is_floating:
        raise TypeError("dense needs floating-point inputs, got {}; cast "
                        "them first.".format(inputs.dtype.name))
    in_units = tf.dimension_value(inputs.shape[-1])
    if in_units is None:
        raise ValueError("The last dimension of dense's inputs must be "
                         "known when the graph is built.")
    with tf.variable_scope(name, default_name="dense"):
        kernel = tf.get_variable(
            "kernel", [in_units, units], dtype=inputs.dtype,
            initializer=tf.glorot_uniform_initializer())
        bias = tf.get_variable("bias", [units], dtype=inputs.dtype,
                               initializer=tf.zeros_initializer())
        if inputs.shape.ndims == 2:
            outputs = tf.matmul(inputs, kernel)
        else:
            outputs = tf.tensordot(inputs, kernel, [[-1], [0]])
        outputs = tf.nn.bias_add(outputs, bias)
        return activation(outputs) if activation is not None else outputs
