"""The package's shape a reader relies on: its layers (vae_digits.LAYERS),
each importing only from itself and the layers below, no circle among
its imports (a newcomer can read it bottom up), at most about ten
modules at the top, and notebooks committed without outputs."""
import ast
import glob
import json
import os

from tests.helpers import REPO_ROOT

PACKAGE = os.path.join(REPO_ROOT, "vae_digits")


def _module_name(path):
    relative = os.path.relpath(path, REPO_ROOT)[:-len(".py")]
    parts = relative.split(os.sep)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def package_imports():
    """{module: the package's modules it imports, at any depth of its
    code (imports inside functions count)}."""
    modules = {_module_name(path): path for path in glob.glob(
        os.path.join(PACKAGE, "**", "*.py"), recursive=True)}
    graph = {}
    for name, path in modules.items():
        with open(path) as f:
            tree = ast.parse(f.read())
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
                imported.update(node.module + "." + alias.name
                                for alias in node.names)
        # `from vae_digits import x` names the module x; the package
        # itself (vae_digits/__init__) is an entry point, not a dependency,
        # and so is a subpackage's __init__ for its own modules
        graph[name] = {module for module in imported
                       if module in modules and module != "vae_digits"
                       and module != name
                       and not name.startswith(module + ".")}
    return graph


def layer_of(module):
    """The index in LAYERS of a module of the package."""
    from vae_digits import LAYERS
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in LAYERS:
        return LAYERS.index(parts[1])
    return LAYERS.index("commands")  # the modules at the top


def find_cycle(graph):
    """A list of modules that import each other in a circle, or None."""
    state = {}

    def visit(node, path):
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return path[path.index(target):] + [target]
            if target not in state:
                cycle = visit(target, path + [target])
                if cycle:
                    return cycle
        state[node] = "done"
        return None
    for node in sorted(graph):
        if node not in state:
            cycle = visit(node, [node])
            if cycle:
                return cycle
    return None


def test_the_package_imports_form_no_circle():
    graph = package_imports()
    assert "vae_digits.trained" in graph["vae_digits.generate"]
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph))


def test_no_module_imports_from_a_layer_above_its_own():
    upward = sorted(f"{module} imports {target}"
                    for module, targets in package_imports().items()
                    for target in targets
                    if layer_of(target) > layer_of(module))
    assert upward == []


def test_every_subpackage_is_a_layer_and_says_what_it_holds():
    from vae_digits import LAYERS
    subpackages = {os.path.basename(os.path.dirname(path)) for path in
                   glob.glob(os.path.join(PACKAGE, "*", "__init__.py"))}
    assert subpackages == set(LAYERS) - {"commands"}
    for name in subpackages:
        with open(os.path.join(PACKAGE, name, "__init__.py")) as f:
            docstring = ast.get_docstring(ast.parse(f.read()))
        assert docstring and "Layer" in docstring, name


def test_a_layer_violation_is_found():
    assert layer_of("vae_digits.core.config") < \
        layer_of("vae_digits.models.conv") < layer_of("vae_digits.train")
    assert layer_of("vae_digits.cli") == layer_of("vae_digits.explore")


def test_at_most_ten_modules_at_the_top():
    top = glob.glob(os.path.join(PACKAGE, "*.py"))
    assert len(top) <= 10, sorted(top)


def test_a_circle_is_found():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == \
        ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_notebooks_are_committed_without_outputs():
    notebooks = glob.glob(os.path.join(REPO_ROOT, "notebooks", "*.ipynb"))
    assert len(notebooks) == 5
    for path in notebooks:
        with open(path) as f:
            cells = json.load(f)["cells"]
        for cell in cells:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and \
                    cell["execution_count"] is None, path
