"""The folder tree is the architecture, and dependencies point one way (docs/architecture.md):

    errors, config  <-  lean  <-  verify  <-  llm, kb  <-  prover  <-  formalize, conjecture, equiv  <-  faces

A module may import from its own package and from packages of a lower layer only. Faces (the CLI, and any HTTP,
MCP or file front end) sit on top. This test reads every module's imports (no import is executed)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "axiomatic"
LAYERS = [
    {"errors", "config", "__init__"},
    {"lean"},
    {"verify"},
    {"llm", "kb"},
    {"prover"},
    {"formalize", "conjecture", "equiv"},
]
FACES_LAYER = len(LAYERS)


def _layer(part: str) -> int:
    for i, names in enumerate(LAYERS):
        if part in names:
            return i
    return FACES_LAYER  # cli, service (the Lean service daemon), api, mcp, leanfile, batch front ends...


def _top(module: Path) -> str:
    rel = module.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py")


def _imported_tops(module: Path) -> set[str]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    depth_of_module = len(module.relative_to(PACKAGE).parts) - 1  # 0 for axiomatic/x.py
    tops: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 0:
                if node.module and node.module.startswith("axiomatic."):
                    tops.add(node.module.split(".")[1])
                continue
            up = node.level - 1  # levels above the module's own package
            if up > depth_of_module:
                continue
            if up == depth_of_module:  # relative to the package root: `from ..kb import x` at depth 1
                if node.module:
                    tops.add(node.module.split(".")[0])
                else:
                    tops.update(alias.name for alias in node.names)
            else:
                tops.add(_top(module))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("axiomatic."):
                    tops.add(alias.name.split(".")[1])
    return tops


def test_no_module_imports_from_a_layer_above_it():
    violations = []
    for module in sorted(PACKAGE.rglob("*.py")):
        own = _top(module)
        for imported in _imported_tops(module):
            if imported != own and _layer(imported) > _layer(own):
                violations.append(f"{module.relative_to(PACKAGE.parent)} imports axiomatic.{imported}")
    assert not violations, "\n".join(violations)


def test_every_package_has_a_layer_or_is_a_face():
    tops = {_top(m) for m in PACKAGE.rglob("*.py")}
    faces = {t for t in tops if _layer(t) == FACES_LAYER}
    assert faces <= {"__main__", "cli", "api", "mcp", "leanfile", "batch", "service", "ops"}, faces


def _variable_name(node: ast.expr) -> str | None:
    """A constant variable name, or an f-string one that starts with AXIOMATIC_ (a family of settings)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant) \
            and str(node.values[0].value).startswith("AXIOMATIC_"):
        return ast.unparse(node)
    return None


def _environment_reads(module: Path) -> list[str]:
    """`os.environ.get(X)`, `os.getenv(X)` and `os.environ[X]` reads of a named variable X in `module`."""
    found = []
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        name = None
        if isinstance(node, ast.Call) and node.args and ast.unparse(node.func) in ("os.environ.get", "os.getenv"):
            name = _variable_name(node.args[0])
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) \
                and ast.unparse(node.value) == "os.environ":
            name = _variable_name(node.slice)
        if name is not None:
            found.append(f"{module.relative_to(PACKAGE)}:{node.lineno} {name}")
    return found


def test_settings_are_read_from_the_environment_only_in_config():
    """Config is the single source of settings, passed down (docs/architecture.md); handing the environment to a
    child process (dict(os.environ)) is not reading a setting."""
    reads = [r for m in sorted(PACKAGE.rglob("*.py")) if m.name != "config.py" or m.parent != PACKAGE
             for r in _environment_reads(m)]
    assert reads == []
    assert _environment_reads(PACKAGE / "config.py")  # the scan does see reads where they are
