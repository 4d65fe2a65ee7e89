"""The README's two commands stay true: the main job runs, CI runs the test command."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

README = REPO / "README.md"


def shell_blocks() -> list[str]:
    """Return the README's ```sh blocks, in order."""
    return re.findall(r"```sh\n(.*?)```", README.read_text(), flags=re.DOTALL)


def test_readme_first_command_runs_main_job(tmp_path: Path) -> None:
    setup, _, main_job = shell_blocks()[0].strip().rpartition(" && ")
    assert "pip install -e" in setup
    words = shlex.split(main_job)
    assert words[0] == ".venv/bin/storepipe"

    # Run the main job with this environment's storepipe, in an empty folder, so it
    # creates its default store there.
    storepipe = Path(sys.executable).parent / "storepipe"
    result = subprocess.run(
        [str(storepipe), *words[1:]],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "STOREPIPE_STORE": "data/store"},
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "store" / "storepipe.toml").exists()
    assert result.stdout.strip()


def test_ci_runs_readme_test_command() -> None:
    test_command = shell_blocks()[1].strip()
    ci_script = (REPO / ".ci" / "run").read_text()
    assert test_command in ci_script.splitlines()
