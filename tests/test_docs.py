"""Documentation stays in step with the commands: help text, examples and README sections."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import click
import pytest
from conftest import invoke

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


def _options_without_help(group: click.Group, prefix: str = "retweetring") -> list[str]:
    missing = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix} {name}"
        missing += [
            f"{full} {param.opts[0]}"
            for param in command.params
            if isinstance(param, click.Option) and not param.hidden and not param.help
        ]
        if isinstance(command, click.Group):
            missing += _options_without_help(command, full)
    return missing


def test_every_option_has_help_text():
    assert _options_without_help(cli) == []


_ID_COMMAND = re.compile(r"retweetring (tweets (?:mark-promo|mark-personal|unmark) [0-9 ]+)$")


def _id_examples() -> list[str]:
    """Every `tweets mark-*`/`unmark` example with ids: README's console lines and the help."""
    lines = [line[2:] for line in README.splitlines() if line.startswith("$ retweetring ")]
    lines += [line.strip() for _, command in COMMANDS for line in (command.help or "").splitlines()]
    return [match[1].strip() for line in lines if (match := _ID_COMMAND.search(line.strip()))]


def test_the_tweet_id_examples_work_on_the_example_database(example_db, tmp_path):
    examples = _id_examples()
    assert len(examples) >= 6  # three in README, three in the help
    db = tmp_path / "example.db"
    shutil.copy(example_db, db)
    for example in examples:
        result = invoke(db, *example.split())
        assert result.exit_code == 0, f"`retweetring {example}`: {result.output}"
