"""`--lang`: the commands the office staff may be shown (`status`, `dead-letters list`) speak English
by default and French on request, with the words of the agency's tab (shared.tracking's catalog)."""

from __future__ import annotations

import click

lang_option = click.option(
    "--lang",
    type=click.Choice(["en", "fr"]),
    default="en",
    show_default=True,
    help="Language of the labels and reasons (fr: as the agency's tab 'Suivi Ogust' says them).",
)
