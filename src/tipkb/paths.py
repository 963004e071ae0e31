"""Where the ontology, the KB and generated files live."""

import os
from pathlib import Path

# The source checkout: src/tipkb/paths.py -> repository root.
REPO_ROOT = Path(__file__).resolve().parents[2]


def data_root() -> Path:
    """Return the folder holding `ontology/` and `kb/` (TIPKB_ROOT, else the checkout)."""
    return Path(os.environ.get("TIPKB_ROOT", REPO_ROOT)).resolve()


def ontology_dir(root: Path | None = None) -> Path:
    """Return the ontology folder under a data root."""
    return (root or data_root()) / "ontology"


def kb_dir(root: Path | None = None) -> Path:
    """Return the KB folder under a data root."""
    return (root or data_root()) / "kb"


def instance_dir() -> Path:
    """Return the folder for generated files (TIPKB_INSTANCE, else ./instance under the checkout)."""
    return Path(os.environ.get("TIPKB_INSTANCE", REPO_ROOT / "instance")).resolve()
