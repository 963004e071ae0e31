"""Where the ontology, the KB and generated files live."""

import os
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# The source checkout when tipkb runs from one (src/tipkb/paths.py -> repository root).
REPO_ROOT = PACKAGE_DIR.parents[1]
# The copy of ontology/ and kb/ that a built wheel carries (setup.py puts it there; a checkout has none).
PACKAGED_DATA = PACKAGE_DIR / "data"


def in_checkout() -> bool:
    """Tell whether tipkb runs from a source checkout (an editable install or src/ on the path)."""
    return PACKAGE_DIR.parent.name == "src" and (REPO_ROOT / "pyproject.toml").is_file()


def data_root() -> Path:
    """Return the folder holding `ontology/` and `kb/`: TIPKB_ROOT, else the checkout, else the installed copy."""
    if os.environ.get("TIPKB_ROOT"):
        return Path(os.environ["TIPKB_ROOT"]).resolve()
    return REPO_ROOT if in_checkout() else PACKAGED_DATA


def ontology_dir(root: Path | None = None) -> Path:
    """Return the ontology folder under a data root."""
    return (root or data_root()) / "ontology"


def kb_dir(root: Path | None = None) -> Path:
    """Return the KB folder under a data root."""
    return (root or data_root()) / "kb"


def instance_dir() -> Path:
    """Return the folder for generated files: TIPKB_INSTANCE, else the web app's default instance folder.

    That is instance/ in the checkout, and <prefix>/var/webapp-instance for an installed tipkb (where Flask puts
    the instance folder of an installed `webapp`), so the command line and the web app share one database.
    """
    if os.environ.get("TIPKB_INSTANCE"):
        return Path(os.environ["TIPKB_INSTANCE"]).resolve()
    return REPO_ROOT / "instance" if in_checkout() else Path(sys.prefix) / "var" / "webapp-instance"
