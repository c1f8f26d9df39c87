"""The README documents every command, and its commands match the Makefile."""

import re

from click import Group

from conftest import ROOT
from presslens.cli import cli

README = (ROOT / "README.md").read_text("utf-8")


def _commands(group: Group, prefix: str = "") -> list[str]:
    out = []
    for name, cmd in group.commands.items():
        if isinstance(cmd, Group):
            out += _commands(cmd, f"{prefix}{name} ")
        else:
            out.append(f"{prefix}{name}")
    return out


def test_docs_every_cli_command_is_in_the_readme() -> None:
    missing = [c for c in _commands(cli) if f"presslens {c}" not in README]
    assert not missing, f"undocumented commands: {missing}"


def test_docs_readme_make_targets_exist() -> None:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    for target in set(re.findall(r"`make ([a-z-]+)", README) + ["demo", "test"]):
        assert re.search(rf"^{target}:", makefile, re.M), target
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.strip().endswith("make test")
    for command in re.findall(r"^make ([a-z-]+)$", ci, re.M):
        assert f"make {command}" in README, f".ci/run runs make {command}, not in the README"
