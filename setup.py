"""Build hook: a wheel carries the ontology and the KB (as tipkb/data/) and the compiled interface translations."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

# Folders of the checkout that an installed tipkb reads through tipkb.paths.data_root(); they stay at the
# top of the checkout, where experts edit them, and are copied only into built wheels.
DATA_FOLDERS = ("ontology", "kb")
PACKAGED_DATA = Path("tipkb", "data")  # keep in step with tipkb.paths.PACKAGED_DATA
# Gettext catalogues: the .po files are sources; the .mo files Flask-Babel reads are git-ignored build output.
CATALOGUES = "webapp/translations/*/LC_MESSAGES/*.po"


class BuildPyWithData(build_py):
    """Add the data folders and freshly compiled catalogues to the build; editable installs use the checkout."""

    def _data_mapping(self) -> dict[str, str]:
        if self.editable_mode:
            return {}
        mapping = {}
        for folder in DATA_FOLDERS:
            for path in sorted(Path(folder).rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts and not path.name.startswith("."):
                    mapping[str(Path(self.build_lib, PACKAGED_DATA, path))] = str(path)
        return mapping

    def _catalogue_mapping(self) -> dict[str, str]:
        if self.editable_mode:
            return {}
        return {str(Path(self.build_lib, po.with_suffix(".mo"))): str(po) for po in sorted(Path().glob(CATALOGUES))}

    def run(self) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        super().run()
        for target, source in self._data_mapping().items():
            self.mkpath(str(Path(target).parent))
            self.copy_file(source, target, preserve_mode=False)
        for target, source in self._catalogue_mapping().items():
            self.mkpath(str(Path(target).parent))
            with open(source, "rb") as po, open(target, "wb") as mo:
                write_mo(mo, read_po(po), use_fuzzy=True)  # drafts (fuzzy) are shown, as `make translations` does

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        return [*super().get_outputs(include_bytecode), *self._data_mapping(), *self._catalogue_mapping()]

    def get_output_mapping(self) -> dict[str, str]:
        return {**super().get_output_mapping(), **self._data_mapping(), **self._catalogue_mapping()}


setup(cmdclass={"build_py": BuildPyWithData})
