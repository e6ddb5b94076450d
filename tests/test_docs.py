"""Documentation stays in step with the commands: help text, examples and README sections."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from retweetring.cli.main import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        if isinstance(command, click.Group):
            found.extend(_commands(command, f"{full} "))
        else:
            found.append((full, command))
    return found


COMMANDS = _commands(cli)


@pytest.mark.parametrize("name, command", COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_command_has_help_with_an_example(name, command):
    assert command.help and "Example:" in command.help, f"`retweetring {name}` needs an Example:"


@pytest.mark.parametrize("name, command", COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_command_is_documented_in_the_readme(name, command):
    assert f"retweetring {name}" in README, f"README.md never shows `retweetring {name}`"


def test_readme_has_the_ci_test_and_demo_commands():
    assert "<!-- ci:test -->" in README and "<!-- ci:demo -->" in README


def test_the_readme_database_section_names_every_table():
    from retweetring.store.models import Base

    section = README.split("## The database", 1)[1].split("\n## ", 1)[0]
    missing = [name for name in Base.metadata.tables if f"`{name}`" not in section]
    assert not missing, f"README.md's 'The database' section never names {missing}"
