"""`--lang`: the commands the office staff may be shown (`status`, `dead-letters list`) speak English
by default and French on request, with the words of the agency's tab (shared.tracking's catalog).

The option is kept in the click context (`chosen()`), not passed as a parameter, so that adding it
to a command changes nothing else of that command."""

from __future__ import annotations

from typing import Any

import click

from shared.tracking import Lang

_KEY = "forms_to_ogust.lang"


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    ctx.meta[_KEY] = value
    return value


lang_option = click.option(
    "--lang",
    type=click.Choice(["en", "fr"]),
    default="en",
    show_default=True,
    expose_value=False,
    callback=_remember,
    help="Language of the labels and reasons (fr: as the agency's tab 'Suivi Ogust' says them).",
)


def chosen() -> Lang:
    """The language the running command was asked for (en by default)."""
    ctx = click.get_current_context(silent=True)
    return "fr" if ctx is not None and ctx.meta.get(_KEY) == "fr" else "en"
