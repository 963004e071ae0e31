"""The built wheel carries every data file tipkb reads, so an installed tipkb runs without a checkout."""

import json
import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tipkb import paths
from tipkb.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
# What the build reads from the checkout.
BUILD_INPUTS = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "src", "webapp", "ontology", "kb")
# Checkout files that nothing reads at run time.
BUILD_ONLY = {"webapp/babel.cfg"}  # pybabel's extraction settings
EXAMPLE_ANSWERS = Path("kb", "examples", "kz-2025.json")
# Run by the installed tipkb: where its packages, data and instance folder are (and the one Flask gives the web
# app), its versions, a compiled Russian interface text.
PROBE = """
import flask, gettext, importlib.metadata, json, pathlib, tipkb, tipkb.paths, webapp
ru = gettext.translation("messages", pathlib.Path(webapp.__file__).parent / "translations", ["ru"])
print(json.dumps({"tipkb": tipkb.__file__, "webapp": webapp.__file__, "data_root": str(tipkb.paths.data_root()),
                  "version": tipkb.__version__, "metadata_version": importlib.metadata.version("tipkb"),
                  "instance": str(tipkb.paths.instance_dir()), "app_instance": flask.Flask("webapp").instance_path,
                  "log_in_ru": ru.gettext("Log in")}))
"""


def test_data_root_is_tipkb_root_when_set(monkeypatch, tmp_path):
    monkeypatch.setenv("TIPKB_ROOT", str(tmp_path))
    assert paths.data_root() == tmp_path.resolve()
    assert paths.kb_dir() == tmp_path.resolve() / "kb"


def test_data_root_is_the_checkout_when_running_from_one(monkeypatch):
    monkeypatch.delenv("TIPKB_ROOT", raising=False)
    monkeypatch.delenv("TIPKB_INSTANCE", raising=False)
    assert paths.data_root() == ROOT
    assert paths.instance_dir() == ROOT / "instance"


def _files(folder: Path):
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and not path.name.startswith("."):
            yield path


def _run(*cmd, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=600, **kwargs)


def _start(*cmd, **kwargs) -> subprocess.Popen:
    """Start a command whose output `_finish` collects, so that several run at once."""
    return subprocess.Popen([str(c) for c in cmd], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def _finish(process: subprocess.Popen) -> subprocess.CompletedProcess:
    stdout, stderr = process.communicate(timeout=600)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A copy of the build inputs and the wheel built from it, as `pip install` builds one."""
    tmp = tmp_path_factory.mktemp("packaging")
    source = tmp / "source"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", ".*", "*.mo")  # the build compiles .mo
    for name in BUILD_INPUTS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=ignore)
        else:
            shutil.copy2(ROOT / name, source / name)
    done = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", tmp / "dist", source)
    assert done.returncode == 0, done.stderr
    (wheel,) = (tmp / "dist").glob("tipkb-*.whl")
    return source, wheel


@pytest.fixture(scope="module")
def venv(built, tmp_path_factory):
    """A fresh virtual environment with the wheel installed; the dependencies come from this test's environment.

    They are put on the path by a .pth file written after the install, so pip never sees (or touches) the
    checkout's editable tipkb, and that tipkb's import hook, a .pth of this environment, is not run there.
    """
    home = tmp_path_factory.mktemp("venv") / "venv"
    assert _run(sys.executable, "-m", "venv", "--without-pip", home).returncode == 0
    python = home / "bin" / "python"
    done = _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--quiet", built[1])
    assert done.returncode == 0, done.stderr
    purelib = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
    Path(purelib, "dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return home


@pytest.fixture
def outside(tmp_path):
    """The working directory and environment of a user of the installed tipkb: no checkout, no TIPKB_ROOT."""
    env = {k: v for k, v in os.environ.items() if k not in ("TIPKB_ROOT", "TIPKB_INSTANCE", "PYTHONPATH")}
    return {"cwd": tmp_path, "env": env}


@pytest.mark.slow
def test_wheel_carries_every_data_file(built):
    source, wheel = built
    expected = {f"tipkb/data/{p.relative_to(source).as_posix()}" for name in ("ontology", "kb")
                for p in _files(source / name)}
    for package, folder in (("tipkb", source / "src" / "tipkb"), ("webapp", source / "webapp")):
        expected |= {f"{package}/{p.relative_to(folder).as_posix()}" for p in _files(folder)
                     if p.suffix != ".py" and p.relative_to(source).as_posix() not in BUILD_ONLY}
    expected |= {f"webapp/{p.relative_to(source / 'webapp').with_suffix('.mo').as_posix()}"
                 for p in (source / "webapp" / "translations").glob("*/LC_MESSAGES/messages.po")}
    assert {"tipkb/store/sparql/labels.rq", "tipkb/data/kb/rules/10-answer-reveals-gap.rq",
            "webapp/translations/ru/LC_MESSAGES/messages.mo"} <= expected
    with zipfile.ZipFile(wheel) as zf:
        assert sorted(expected - set(zf.namelist())) == []


@pytest.mark.slow
def test_installed_wheel_runs_without_a_checkout(built, venv, outside, capsys):
    started = []  # the installed tipkb's runs go at once, and the checkout's recommendation meanwhile

    def start(*cmd) -> subprocess.Popen:
        started.append(_start(*cmd, **outside))
        return started[-1]

    try:
        check = start(venv / "bin" / "tipkb", "validate", "--no-owl")
        probe = _finish(start(venv / "bin" / "python", "-c", PROBE))
        assert probe.returncode == 0, probe.stderr
        found = json.loads(probe.stdout)
        answers = Path(found["data_root"]) / EXAMPLE_ANSWERS
        run = start(venv / "bin" / "tipkb", "recommend", "--answers", answers, "--json")
        source = built[0]
        assert main(["recommend", "--root", str(source), "--answers", str(source / EXAMPLE_ANSWERS), "--json"]) == 0
        expected = json.loads(capsys.readouterr().out)

        for path in (found["tipkb"], found["webapp"], found["data_root"]):
            assert Path(path).resolve().is_relative_to(venv.resolve()), path
        assert found["metadata_version"] == found["version"]
        assert found["instance"] == found["app_instance"]
        assert found["log_in_ru"] == "Войти"

        check = _finish(check)
        assert (check.returncode, check.stdout.strip()) == (0, "OK: the KB passes syntax, SHACL, QC checks."), \
            check.stderr

        run = _finish(run)
        assert run.returncode == 0, run.stderr
        installed = json.loads(run.stdout)
        assert (installed["country"], installed["used_answers"]) == ("KZ", True)
        assert installed["total"] >= 10
        assert installed == expected
    finally:
        for process in started:  # a run left behind by a failed assertion is not left running
            process.kill()
            process.communicate()
