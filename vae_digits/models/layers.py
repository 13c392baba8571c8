"""Stand-ins for `tf.layers.dense`, `conv2d` and `conv2d_transpose`, which
Keras 3 took away.

They make the same variables as the `tf.layers` functions did, so
checkpoints move both ways between this package and the original
scripts: a `kernel` with Glorot-uniform initialisation and a `bias` of
zeros, in a variable scope named `dense`, `dense_1`, ... (`conv2d`,
`conv2d_transpose`, ...) numbered per enclosing scope exactly as TF1's
layers numbered them.
"""
from vae_digits.core.compat import tf

__all__ = ["dense", "conv2d", "conv2d_transpose", "flatten"]


def _weights(default_name, name, kernel_shape, units, dtype):
    """(kernel, bias) in a new scope, as tf.layers made them."""
    with tf.variable_scope(name, default_name=default_name):
        kernel = tf.get_variable("kernel", kernel_shape, dtype=dtype,
                                 initializer=tf.glorot_uniform_initializer())
        bias = tf.get_variable("bias", [units], dtype=dtype,
                               initializer=tf.zeros_initializer())
    return kernel, bias


def _known_last_dimension(inputs, layer):
    inputs = tf.convert_to_tensor(inputs)
    if not inputs.dtype.is_floating:
        raise TypeError(f"{layer} needs floating-point inputs, got {inputs.dtype.name}; cast them "
                        "first.")
    in_units = tf.dimension_value(inputs.shape[-1])
    if in_units is None:
        raise ValueError(f"The last dimension of {layer}'s inputs must be known "
                         "when the graph is built.")
    return inputs, in_units


def dense(inputs, units, activation=None, name=None):
    """activation(inputs @ kernel + bias) over the last axis of `inputs`."""
    inputs, in_units = _known_last_dimension(inputs, "dense")
    kernel, bias = _weights("dense", name, [in_units, units], units,
                            inputs.dtype)
    if inputs.shape.ndims == 2:
        outputs = tf.matmul(inputs, kernel)
    else:
        outputs = tf.tensordot(inputs, kernel, [[-1], [0]])
    outputs = tf.nn.bias_add(outputs, bias)
    return activation(outputs) if activation is not None else outputs


def conv2d(inputs, filters, kernel_size, strides=1, padding="same",
           activation=None, name=None):
    """A 2-D convolution of NHWC `inputs` with square kernels."""
    inputs, channels = _known_last_dimension(inputs, "conv2d")
    kernel, bias = _weights("conv2d", name, [kernel_size, kernel_size,
                                             channels, filters],
                            filters, inputs.dtype)
    outputs = tf.nn.bias_add(tf.nn.conv2d(
        inputs, kernel, [1, strides, strides, 1], padding.upper()), bias)
    return activation(outputs) if activation is not None else outputs


def conv2d_transpose(inputs, filters, kernel_size, strides=1,
                     activation=None, name=None):
    """The transpose of conv2d with `same` padding (a learned upsampling by
    `strides`) of NHWC `inputs`."""
    inputs, channels = _known_last_dimension(inputs, "conv2d_transpose")
    kernel, bias = _weights("conv2d_transpose", name,
                            [kernel_size, kernel_size, filters, channels],
                            filters, inputs.dtype)
    shape = tf.shape(inputs)
    outputs = tf.nn.conv2d_transpose(
        inputs, kernel,
        tf.stack([shape[0], shape[1] * strides, shape[2] * strides, filters]),
        [1, strides, strides, 1], "SAME")
    static = inputs.shape.as_list()
    outputs.set_shape([static[0]] + [None if d is None else d * strides
                                     for d in static[1:3]] + [filters])
    outputs = tf.nn.bias_add(outputs, bias)
    return activation(outputs) if activation is not None else outputs


def flatten(inputs):
    """[N, ...] -> [N, prod(...)], the trailing size known statically."""
    size = 1
    for dimension in inputs.shape.as_list()[1:]:
        size *= dimension
    return tf.reshape(inputs, [-1, size])
