"""No module imports one from a higher layer (docs/architecture.md has the diagram this table writes down)."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "impact"

# Lowest first. A module belongs to the longest name here that starts its own dotted name. Modules of one layer
# may import each other only within the same entry. Some modules sit above the rest of their package: the event
# labels and display know every feature's values, and the assessment page shows the history with them.
LAYERS: list[tuple[str, ...]] = [
    ("impact.core",),
    ("impact.extensions",),
    ("impact.ratelimit",),
    ("impact.audit.models",),
    ("impact.audit.trail",),
    ("impact.org", "impact.settings"),
    ("impact.auth",),
    ("impact.jobs",),
    ("impact.grounds",),
    ("impact.indicators",),
    ("impact.assessments",),
    ("impact.notifications",),
    ("impact.review",),
    ("impact.decisions",),
    ("impact.audit.labels",),
    ("impact.audit.display",),
    ("impact.assessments.views",),
    ("impact.indicators.profile",),
    ("impact.reports", "impact.accessibility", "impact.audit", "impact.coverage"),
    ("impact.public",),  # the public register offers the reports' documents
    ("impact.api", "impact.admin"),
    ("impact.profile", "impact.backup", "impact.demo"),
    ("impact.cli", "impact.models"),
    ("impact",),
]


def _entry(module: str) -> tuple[int, str]:
    """(layer, entry) of a dotted module name."""
    best = None
    for level, entries in enumerate(LAYERS):
        for entry in entries:
            if (module == entry or module.startswith(entry + ".")) and (best is None or len(entry) > len(best[1])):
                best = (level, entry)
    assert best is not None, f"{module} is in no layer: add it to LAYERS and docs/architecture.md"
    return best


def _module_name(path: Path, package: Path) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, dotted name) of every import of an impact module in ``path``, including those inside functions."""
    found = []
    for node in _nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "impact":
                found += [(node.lineno, f"impact.{alias.name}") for alias in node.names]
            elif node.module.startswith("impact."):
                found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith("impact.")]
    return found


def _nodes(tree: ast.AST):
    """Every node, except what sits under ``if TYPE_CHECKING:`` (names for the type checker, not imports)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            continue
        yield node
        yield from _nodes(node)


def _target(name: str, package: Path) -> str:
    """The module an imported name lives in: ``impact.audit.trail.record`` → ``impact.audit.trail``."""
    parts = name.split(".")
    while len(parts) > 1:
        candidate = package.parent.joinpath(*parts)
        if candidate.with_suffix(".py").exists() or (candidate / "__init__.py").exists():
            return ".".join(parts)
        parts.pop()
    return "impact"


def violations(package: Path = PACKAGE) -> list[str]:
    found = []
    for path in sorted(package.rglob("*.py")):
        source = _module_name(path, package)
        level, entry = _entry(source)
        for line, name in _imports(path):
            target = _target(name, package)
            if path.name == "__init__.py" and target.startswith(source + "."):
                continue  # a feature's __init__ wires its own modules together (the blueprint imports its views)
            target_level, target_entry = _entry(target)
            if target_level > level or (target_level == level and target_entry != entry):
                found.append(f"{path.relative_to(package.parent)}:{line}: {source} ({entry}) imports {target}")
    return found


def test_no_module_imports_a_higher_layer():
    assert violations() == []


@pytest.mark.parametrize(
    ("source", "imported", "target"),
    [
        ("assessments/example.py", "from impact.review.operations import approve", "review/operations.py"),
        ("core/example.py", "from impact.auth.roles import Role", "auth/roles.py"),
        ("audit/trail.py", "import impact.assessments.models", "assessments/models.py"),
        ("reports/example.py", "def f():\n    from impact.api import views", "api/views.py"),
        ("api/example.py", "from impact.admin.forms import SettingsForm", "admin/forms.py"),
    ],
)
def test_an_import_from_above_or_beside_is_found(tmp_path, source, imported, target):
    """The rule can fail: a package with one such import is caught, and the same package without it is not."""
    package = tmp_path / "impact"
    for path in (source, target):
        (package / path).parent.mkdir(parents=True, exist_ok=True)
        for folder in (package, (package / path).parent):
            (folder / "__init__.py").touch()
    (package / target).write_text("x = 1\n", encoding="utf-8")
    (package / source).write_text("y = 2\n", encoding="utf-8")
    assert violations(package) == []
    (package / source).write_text(imported + "\n", encoding="utf-8")
    assert len(violations(package)) == 1
