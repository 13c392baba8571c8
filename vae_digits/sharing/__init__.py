"""A trained model taken elsewhere: the formats of
`python -m vae_digits.export`.

Layer 9: imports `core`, `data`, `models`, `trained`, `pictures` and
`page`.
- formats: the formats, where an export goes, the checks on --output,
  and the export, written whole or not at all;
- html: the explore page and the model in one file that opens offline;
  networks: the layers that page runs (page/static/network.js);
- savedmodel: a TensorFlow SavedModel (decode, encode, classify) that
  loads without vae_digits and TensorFlow Serving serves;
- projector: the test images' codes, labels and sprite for TensorBoard's
  Projector tab.
"""
from vae_digits.sharing.formats import (
    DEFAULT,
    FORMATS,
    Format,
    check_output,
    default_output,
    export,
    not_built,
    read_test_set,
)

__all__ = ["FORMATS", "DEFAULT", "Format", "check_output", "default_output",
           "export", "not_built", "read_test_set"]
