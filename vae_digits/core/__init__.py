"""The package's foundation: its defaults, errors, argument types, files
written whole and TensorFlow's TF1 API.

Layer 0: imports nothing of the package outside `core`.
- config: every default, stated once (the blog's values);
- errors: UserError, the mistake a user can act on;
- arguments: the types of flags and hyperparameters;
- files: atomic writes and writable-directory checks;
- progress: progress bars on terminals only;
- memory: a long training run's resident memory kept flat;
- compat: `tf`, tensorflow.compat.v1 in graph mode, imported lazily.
"""
