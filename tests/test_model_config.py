"""The checkpoint a command restores and the model_config.json beside it,
as a user meets them: the newest or the named checkpoint, the stored
model read back as written, and every fault one sentence that names the
file, the field and the fix. No TensorFlow: empty files stand in for a
checkpoint's."""
import json
import os
import types

import pytest

from vae_digits.checkpoints import model_config as mc
from vae_digits.checkpoints.names import (
    checkpoint_path,
    epoch_of,
    latest_checkpoint,
    resolve_checkpoint,
)
from vae_digits.core.errors import UserError
from vae_digits.data import catalog

FIX = ("restore it, or delete it if the checkpoints use the blog's model "
       "(x_dim 784, z_dim 40).")
CONDITIONAL = {"model": "conditional", "dataset": "fashion-mnist",
               "x_dim": 784, "z_dim": 10, "hidden_layers": [256, 128],
               "activation": "relu", "decoder_std": 0.25,
               "digit_classification_weight": 3.0, "data_path": "/d/f"}


def _checkpoints(directory, *epochs, config=None):
    """`directory` with an empty index file for each of `epochs`, and
    `config` (a dict, or text) as its model_config.json."""
    os.makedirs(directory, exist_ok=True)
    for epoch in epochs:
        open(checkpoint_path(str(directory), epoch) + ".index", "w").close()
    if config is not None:
        with open(os.path.join(directory, "model_config.json"), "w") as f:
            f.write(config if isinstance(config, str) else json.dumps(config))
    return str(directory)


def _refusal(directory):
    with pytest.raises(UserError) as caught:
        mc.read_model_config(directory)
    path = os.path.join(directory, "model_config.json")
    message = str(caught.value)
    assert message.startswith(f"cannot read {path} (") and \
        message.endswith(f"); {FIX}"), message
    return message[len(f"cannot read {path} ("):-len(f"); {FIX}")]


def test_the_epoch_is_read_from_the_name():
    assert epoch_of("checkpoints/mlp_vae/vae.epoch.120.ckpt") == 120
    assert epoch_of("model.ckpt", strict=False) is None
    with pytest.raises(UserError) as caught:
        epoch_of("model.ckpt")
    assert str(caught.value) == ("cannot tell the epoch of checkpoint "
                                 "model.ckpt: its name must end in "
                                 "vae.epoch.N.ckpt.")


def test_the_checkpoint_restored_is_the_one_named_or_the_newest(tmp_path):
    directory = _checkpoints(tmp_path, 5, 40)
    newest = os.path.join(directory, "vae.epoch.40.ckpt")
    assert resolve_checkpoint(directory) == newest
    older = os.path.join(directory, "vae.epoch.5.ckpt")
    assert resolve_checkpoint(directory, older) == older
    assert resolve_checkpoint("elsewhere", older + ".index") == older
    missing = os.path.join(directory, "vae.epoch.6.ckpt")
    with pytest.raises(UserError) as caught:
        resolve_checkpoint(directory, missing)
    assert str(caught.value) == (
        f"no checkpoint {missing} (its .index file is missing); pass a path "
        f"like {os.path.join(directory, 'vae.epoch.100.ckpt')}.")


def test_an_empty_directory_says_to_train_first(tmp_path):
    assert latest_checkpoint(str(tmp_path)) is None
    with pytest.raises(UserError) as caught:
        resolve_checkpoint(str(tmp_path))
    assert str(caught.value) == (
        f"no checkpoint in {tmp_path}: train first with `python -m "
        "vae_digits.train`, or pass --checkpoint-dir.")


def test_a_directory_without_a_config_holds_the_blogs_model(tmp_path):
    config = mc.read_model_config(str(tmp_path))
    assert config == {"model": "mlp", "dataset": "mnist", "x_dim": 784,
                      "z_dim": 40}
    config["z_dim"] = 2  # the caller's copy
    assert mc.read_model_config(str(tmp_path))["z_dim"] == 40


def test_a_config_is_read_back_as_written(tmp_path):
    mc.write_model_config(str(tmp_path), CONDITIONAL)
    path = tmp_path / "model_config.json"
    assert path.read_text() == json.dumps(CONDITIONAL, sort_keys=True) + "\n"
    assert mc.read_model_config(str(tmp_path)) == CONDITIONAL
    assert os.listdir(str(tmp_path)) == ["model_config.json"]
    older = {"x_dim": 784, "z_dim": 8, "dataset": None, "data_path": None}
    _checkpoints(tmp_path, config=older)  # written before models and data
    assert mc.read_model_config(str(tmp_path)) == {
        "model": "mlp", "dataset": None, "x_dim": 784, "z_dim": 8}
    typed = dict(CONDITIONAL, hidden_layers="64", decoder_std=1)
    _checkpoints(tmp_path, config=typed)
    read = mc.read_model_config(str(tmp_path))
    assert read["hidden_layers"] == [64] and read["decoder_std"] == 1.0
    assert isinstance(read["decoder_std"], float)


@pytest.mark.parametrize("stored, reason", [
    ("[1, 2]", "it is not a JSON object"),
    ('{"x_dim": 784,', "Expecting property name enclosed in double quotes: "
                       "line 1 column 15 (char 14)"),
    ({"z_dim": 40}, "it has no 'x_dim'"),
    ({"x_dim": 784}, "it has no 'z_dim'"),
    ({"model": 3, "x_dim": 784}, "its field 'model' is 3, not a name"),
    ({"x_dim": True, "z_dim": 40}, "its field 'x_dim' is True, not a whole "
                                   "number"),
    ({"x_dim": 784, "z_dim": 40, "dataset": ["mnist"]},
     "its field 'dataset' is ['mnist'], not a dataset's name"),
    ({"x_dim": 784, "z_dim": 40, "dataset": "cifar"},
     "unknown dataset 'cifar'; choose one of mnist, fashion-mnist"),
    ({"x_dim": 784, "z_dim": 40, "data_path": 5},
     "its field 'data_path' is 5, not a path"),
    ({"x_dim": 784, "z_dim": None}, "its field 'z_dim' is None, not a value "
                                    "of --z-dim"),
    ({"x_dim": 784, "z_dim": "two"}, "its field 'z_dim' must be a positive "
                                     "integer, got 'two'"),
    ({"x_dim": 784, "z_dim": 5000}, "its field 'z_dim' must be at most "
                                    "4,096, got '5000'"),
    (dict(CONDITIONAL, hidden_layers=[]), "its field 'hidden_layers' must be "
                                          "1 to 10 comma-separated whole "
                                          "numbers, got ''"),
], ids=["list", "broken", "no x_dim", "no z_dim", "model", "bool", "dataset",
        "unknown dataset", "data_path", "null", "text", "too big", "layers"])
def test_a_bad_config_is_one_sentence_naming_the_field(tmp_path, stored,
                                                        reason):
    _checkpoints(tmp_path, config=stored)
    assert _refusal(str(tmp_path)) == reason


def test_a_model_module_is_imported_only_when_the_user_names_it(tmp_path):
    _checkpoints(tmp_path, config={"model": "vae_digits.nowhere",
                                   "x_dim": 784})
    with pytest.raises(UserError) as refused:
        mc.read_model_config(str(tmp_path))
    assert "names the model 'vae_digits.nowhere', a module outside the " \
        "package" in str(refused.value)
    assert "--model vae_digits.nowhere (in Python: vae_digits.load(path, " \
        "model='vae_digits.nowhere'))." in str(refused.value)
    with pytest.raises(UserError) as named:
        mc.read_model_config(str(tmp_path), model="vae_digits.nowhere")
    assert str(named.value) == (
        "unknown model 'vae_digits.nowhere'; choose one of bernoulli, "
        "conditional, conv, iwae, mlp, or put vae_digits/nowhere.py on the "
        "PYTHONPATH.")


def test_only_a_regular_file_of_a_bounded_size_is_read(tmp_path,
                                                       monkeypatch):
    os.mkdir(tmp_path / "model_config.json")
    assert _refusal(str(tmp_path)) == "it is not a regular file"
    os.rmdir(tmp_path / "model_config.json")
    text = json.dumps({"x_dim": 784, "z_dim": 3})
    _checkpoints(tmp_path, config=text + " " * (65536 - len(text)))
    assert mc.read_model_config(str(tmp_path))["z_dim"] == 3  # 64 KiB: read
    _checkpoints(tmp_path, config=text + " " * (65537 - len(text)))
    assert _refusal(str(tmp_path)) == (
        "it is 65,537 bytes, more than the 65,536 a model configuration "
        "takes")
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", lambda path: types.SimpleNamespace(
        st_mode=real_stat(path).st_mode, st_size=100))  # it grows meanwhile
    assert _refusal(str(tmp_path)) == \
        "it grew past the size a model configuration takes"


def test_a_config_that_is_not_utf8_is_refused(tmp_path):
    (tmp_path / "model_config.json").write_bytes(b'{"x_dim": "\xff"}')
    assert _refusal(str(tmp_path)).startswith(
        "'utf-8' codec can't decode byte 0xff in position 11")


def test_training_on_goes_on_only_with_the_same_model(tmp_path):
    directory = _checkpoints(tmp_path, config=CONDITIONAL)
    mc.check_model_config(directory, dict(CONDITIONAL, data_path="/other"))
    mc.check_model_config(directory, dict(CONDITIONAL, unknown=1))
    refusals = {
        "model": f"the checkpoints in {directory} hold the conditional "
                 "model, not conv: pass --model conditional, or another "
                 "--checkpoint-dir.",
        "z_dim": f"the checkpoints in {directory} hold a model with z_dim "
                 "10, not 2: use --z-dim 10, or another --checkpoint-dir.",
        "x_dim": f"the checkpoints in {directory} hold a model with x_dim "
                 "784, not 100: use data of 784 pixels, or another "
                 "--checkpoint-dir."}
    for asked in ({"model": "conv"}, {"z_dim": 2, "x_dim": 100},
                  {"x_dim": 100}):
        with pytest.raises(UserError) as caught:
            mc.check_model_config(directory, dict(CONDITIONAL, **asked))
        assert str(caught.value) == refusals[next(iter(asked))]


def test_a_model_written_before_datasets_goes_on_with_any(tmp_path):
    directory = _checkpoints(tmp_path, config={"x_dim": 784, "z_dim": 40})
    mc.check_model_config(directory, {"model": "mlp", "dataset": "mnist",
                                      "x_dim": 784, "z_dim": 40})


def test_the_model_to_load_is_checked_before_tensorflow(tmp_path):
    directory = _checkpoints(tmp_path / "c", 3, 4, config=CONDITIONAL)
    checkpoint = os.path.join(directory, "vae.epoch.3.ckpt")
    assert mc.resolve_trained_model(directory) == (
        os.path.join(directory, "vae.epoch.4.ckpt"), CONDITIONAL)
    assert mc.resolve_trained_model(directory, checkpoint) == (checkpoint,
                                                              CONDITIONAL)
    missing = os.path.join(directory, "vae.epoch.5.ckpt")
    with pytest.raises(UserError, match="^no checkpoint .*epoch.5.ckpt "):
        mc.resolve_trained_model(directory, missing)
    with pytest.raises(UserError, match="^no checkpoint .*epoch.5.ckpt "):
        mc.find_trained_model(directory, missing, None, None, None)
    with pytest.raises(UserError, match="holds the conditional model, not "):
        mc.find_trained_model(directory, None, "mlp", None, None)
    with pytest.raises(UserError) as caught:
        mc.resolve_trained_model(directory, checkpoint, model="mlp")
    assert str(caught.value) == (
        f"{checkpoint} holds the conditional model, not mlp: pass --model "
        f"conditional, or the --checkpoint-dir of a mlp model.")
    _checkpoints(directory, config={"x_dim": 100, "z_dim": 2})
    with pytest.raises(UserError) as caught:
        mc.resolve_trained_model(directory, checkpoint, model="mlp")
    assert str(caught.value) == (
        f"{checkpoint} holds a model of 100 pixels, not MNIST's 784; pass a "
        "checkpoint trained on MNIST.")


def test_the_test_images_default_to_those_the_model_trained_on(tmp_path):
    recorded = str(tmp_path / "recorded")
    directory = _checkpoints(tmp_path / "c", 3, config=dict(
        CONDITIONAL, data_path=recorded))
    checkpoint = os.path.join(directory, "vae.epoch.3.ckpt")
    found = mc.find_trained_model(directory, None, None, None, None)
    assert found == (directory, dict(CONDITIONAL, data_path=recorded),
                     "fashion-mnist", catalog.default_data_path("fashion-mnist"))
    os.mkdir(recorded)
    assert mc.find_trained_model(directory, checkpoint, "conditional", None,
                                 None)[::2] == (checkpoint, "fashion-mnist")
    assert mc.find_trained_model(directory, None, None, None,
                                 None)[2:] == ("fashion-mnist", recorded)
    assert mc.find_trained_model(directory, None, None, "mnist",
                                 None)[2:] == ("mnist", "data")
    assert mc.find_trained_model(directory, None, None, None,
                                 "mine")[2:] == ("fashion-mnist", "mine")
    _checkpoints(directory, config={"x_dim": 784, "z_dim": 4,
                                    "dataset": None})
    assert mc.find_trained_model(directory, None, None, None,
                                 None)[2:] == ("mnist", "data")


def test_no_more_of_a_growing_config_is_read_than_its_limit(tmp_path,
                                                            monkeypatch):
    _checkpoints(tmp_path, config=" " * 100_000)
    monkeypatch.setattr(os, "stat", lambda path: types.SimpleNamespace(
        st_mode=0o100644, st_size=10))  # it was small when looked at
    read = []
    real_open = open

    def counting_open(path, mode):
        f = real_open(path, mode)
        real_read = f.read
        f.read = lambda size=-1: read.append(len(real_read(size))) or \
            b" " * read[-1]
        return f
    monkeypatch.setattr(mc, "open", counting_open, raising=False)
    assert _refusal(str(tmp_path)) == \
        "it grew past the size a model configuration takes"
    assert read == [65537]
