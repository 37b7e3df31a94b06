"""What every command is made of besides its options: the group whose usage errors read
``error: --option: expected ..., got ...`` (exit 2), ``--allow-code`` for commands that meet
routing policy files, and ``--format`` for commands that print tables."""

from __future__ import annotations

import sys

import click
from rich.text import Text

from .params import OneOf, errors, literal

__all__ = ["CcsimGroup", "code_policy", "format_option", "TABLE_FORMATS"]


def _name(error: click.BadParameter) -> str:
    param = error.param
    if param is None:
        return error.param_hint or "value"
    if isinstance(param, click.Argument):
        return param.human_readable_name
    return max(param.opts, key=len)


class CcsimGroup(click.Group):
    """A group whose usage errors read ``error: --option: message`` (exit 2) instead of
    click's usage block, printed literally (user text is never rich markup)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True,
             **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            status = super().main(args, prog_name, complete_var, False, **extra)
        except click.exceptions.Abort:
            errors.print(literal("aborted"))
            sys.exit(1)
        except click.BadParameter as exc:
            if isinstance(exc, click.MissingParameter):
                _error(exc.format_message(), exc.ctx)
            else:
                _error(f"{_name(exc)}: {exc.message}", None)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            _error(exc.format_message(), getattr(exc, "ctx", None))
            sys.exit(exc.exit_code)
        sys.exit(status if isinstance(status, int) else 0)


def _error(message: str, ctx) -> None:
    text = Text("error:", style="bold red")
    text.append(f" {message}")
    if ctx is not None:
        text.append(f" (see {ctx.command_path} --help)", style="dim")
    errors.print(text, highlight=False, soft_wrap=True)


_TRUST = {
    "parse": "This command does not import routing policy files (file.py:Class): they are "
             "Python code. --allow-code imports them.",
    "folder": "A routing policy file (file.py:Class) is Python code and runs with your "
              "rights: trust a scenario naming one as you would a program. Files outside the "
              "scenario's folder are refused unless --allow-code.",
}


def code_policy(mode: str):
    """Decorator: add ``--allow-code`` to a command and run it with policy files treated by
    ``mode`` ("parse": never imported; "folder": imported from the scenario's folder only),
    or imported from anywhere with the flag (``ccsim.routing.policy_code``)."""
    import functools

    def decorate(command):
        @functools.wraps(command)
        def wrapper(*args, allow_code: bool = False, **kwargs):
            from ..routing import policy_code

            with policy_code("allow" if allow_code else mode):
                return command(*args, **kwargs)

        wrapper.__doc__ = f"{command.__doc__}\n\n{_TRUST[mode]}"
        return click.option("--allow-code", is_flag=True,
                            help="Import routing policy files (file.py:Class) from anywhere: "
                                 "they are Python code, use only files you trust.")(wrapper)
    return decorate


#: the ways a command that prints tables can print them (``ccsim.output.screen.emit``)
TABLE_FORMATS = ("table", "csv", "md", "json")


def format_option(function):
    """Decorator: ``--format table|csv|md|json`` (parameter ``fmt``) for a command that prints
    tables; pass it on to ``ccsim.output.screen.emit(tables, fmt)``."""
    return click.option(
        "--format", "fmt", type=OneOf(TABLE_FORMATS), default="table", show_default=True,
        help="How to print the tables: fitted to the terminal (table), csv or json (raw "
             "numbers in the units of --json, a _ci95 column beside each estimate) or md "
             "(Markdown).")(function)
