"""Where ``scripts/ensure-test-tools`` installs the Node packages the tests run (``make test`` runs it)."""

import os
from pathlib import Path

TOOLS_DIR = Path(
    os.environ.get("TEST_TOOLS_DIR")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "impact/test-tools"
)
NODE_MODULES = TOOLS_DIR / "node_modules"
