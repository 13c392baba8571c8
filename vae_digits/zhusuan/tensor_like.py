"""Objects that stand in for a tf.Tensor: StochasticTensor and the ELBO.

A subclass defines `.tensor`; this base makes it usable wherever
TensorFlow expects a tensor: in tf ops (through a registered conversion),
in arithmetic and indexing (forwarded operators) and in `sess.run`.
"""
from vae_digits.core.compat import tf, when_imported

_FORWARDED_OPERATORS = (
    "__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__",
    "__truediv__", "__rtruediv__", "__floordiv__", "__rfloordiv__",
    "__mod__", "__rmod__", "__pow__", "__rpow__", "__matmul__",
    "__rmatmul__", "__lt__", "__le__", "__gt__", "__ge__", "__and__",
    "__rand__", "__or__", "__ror__", "__xor__", "__rxor__", "__neg__",
    "__abs__", "__invert__", "__getitem__",
)


class TensorLike:
    """Base class of objects whose value is `self.tensor`."""

    # Makes numpy defer to us in `ndarray + tensor_like`.
    __array_priority__ = 100

    @property
    def tensor(self):
        raise NotImplementedError

    @property
    def dtype(self):
        return self.tensor.dtype

    @property
    def shape(self):
        return self.tensor.shape

    def get_shape(self):
        return self.tensor.get_shape()

    def _as_graph_element(self):
        # Lets `sess.run(obj)` fetch the value.
        return self.tensor

    def __hash__(self):
        return id(self)

    def __eq__(self, other):
        return self is other

    def __iter__(self):
        raise TypeError(f"'{type(self).__name__}' object is not iterable.")

    def __bool__(self):
        raise TypeError(f"Using a '{type(self).__name__}' as a Python bool is not allowed: it "
                        "is a symbolic tensor.")

    __nonzero__ = __bool__


def _forward(operator):
    def method(self, *args):
        return getattr(tf.Tensor, operator)(self.tensor, *args)
    method.__name__ = operator
    return method


for _operator in _FORWARDED_OPERATORS:
    setattr(TensorLike, _operator, _forward(_operator))


def _to_tensor(value, dtype=None, name=None, as_ref=False):
    tensor = value.tensor
    if dtype is not None and not dtype.is_compatible_with(tensor.dtype):
        raise ValueError("Incompatible type conversion requested to type "
                         f"'{dtype.name}' for a tensor of type '{tensor.dtype.name}'")
    return tensor


when_imported(lambda module: module.register_tensor_conversion_function(
    TensorLike, _to_tensor))
