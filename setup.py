"""Packaging hook: ship the repository's workspace (modules, audiences, courses, templates)
inside the package, so 'ccrl init' and the built-in templates work from a plain 'pip install .'.
Everything else is in pyproject.toml."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

WORKSPACE = ("modules", "audiences", "courses", "templates")


class BuildWithWorkspace(build_py):
    def run(self):
        super().run()
        root = Path(__file__).parent
        target = Path(self.build_lib) / "ccrl_kit" / "data" / "workspace"
        if (root / "ccrl.yaml").is_file():
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / "ccrl.yaml", target / "ccrl.yaml")
        for part in WORKSPACE:
            if (root / part).is_dir():
                shutil.rmtree(target / part, ignore_errors=True)
                shutil.copytree(root / part, target / part,
                                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithWorkspace})
