"""Build hook: compile the message catalogues (.po → .mo) into every wheel and editable install.

The .mo files are build products (``.gitignore``d, so hatchling would leave
them out by itself): a wheel gets them compiled into a temporary folder and
force-included; an editable install imports ``coordkit`` from the source
tree, so there they are compiled next to their .po. A fuzzy, empty or
mismatched translation is left out with a warning (the reader sees English)
and ``tests/test_i18n.py`` fails on it; only a .po that cannot be read fails
the build.
"""

from __future__ import annotations

import importlib.util
import shutil
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def _tools(root: Path) -> ModuleType:
    """``coordkit/i18n_tools.py`` loaded by its path: importing the package would need its dependencies."""
    spec = importlib.util.spec_from_file_location("_coordkit_i18n_tools", root / "coordkit" / "i18n_tools.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class CatalogueBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return  # the sdist ships the .po files and this hook; its wheel compiles them
        root = Path(self.root)
        tools = _tools(root)
        locale_dir = root / "coordkit" / "locale"
        editable = version == "editable"
        scratch = None if editable else Path(tempfile.mkdtemp(prefix="coordkit-mo-"))
        self._scratch = scratch
        report = tools.compile_all(locale_dir, out_dir=scratch)
        for mo, left_out in report.items():
            for line in left_out:
                self.app.display_warning(f"{mo.parent.parent.name}: left out of the catalogue: {line}")
            if scratch is not None:
                build_data["force_include"][str(mo)] = f"coordkit/locale/{mo.relative_to(scratch).as_posix()}"
        self.app.display_info(f"compiled {len(report)} message catalogue(s)")

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        scratch: Path | None = getattr(self, "_scratch", None)
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
