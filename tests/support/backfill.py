"""The satisfaction form's responses as Google Sheets exports them (500 French rows, two of them bad;
one person answering three times among others) and the backfill command run on such a sheet, in this
process, with its own ledger."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from cli.main import main
from tests.support.queue_world import SATISFACTION

HEADERS = [
    "Horodateur",
    "Civilité",
    "Nom",
    "Prénom",
    "Adresse e-mail",
    "Téléphone portable",
    "Adresse",
    "Code postal",
    "Ville",
    "Note globale (1 à 5)",
    "Commentaires",
]
BAD_PHONE_LINE = 2 + 137
BAD_DATE_LINE = 2 + 321


def export(path: Path, rows: int = 500) -> Path:
    """A response sheet as Google Sheets exports it: French headers, dd/mm/yyyy timestamps."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        for n in range(rows):
            line = 2 + n
            writer.writerow(
                [
                    "le 3 mars"
                    if line == BAD_DATE_LINE
                    else f"{1 + n % 28:02d}/10/2026 {8 + n % 10}:{n % 60:02d}:07",
                    "Madame" if n % 2 else "Monsieur",
                    f"  d'Arnoux-Lefèvre {n} ",
                    "marie-hélène" if n % 2 else "jean-françois",
                    f"Client.{n}@Exemple.fr",
                    "06 12 34 5" if line == BAD_PHONE_LINE else f"06 {n // 100:02d} {n % 100:02d} 56 78",
                    f"{n}, rue de l'Église",
                    "94240",
                    "L'Haÿ-les-Roses",
                    str(1 + n % 5),
                    "Très bien, merci",
                ]
            )
    return path


def run(args: list[str], env: dict[str, str]) -> tuple[int, dict[str, object]]:
    # No live delivery beside these runs: this process's own ledger is enough, and must be asked for.
    command = ["backfill", str(SATISFACTION), *args, "--local-ledger", "--json"]
    result = CliRunner().invoke(main, command, env=env)
    last = result.stdout.strip().splitlines()[-1]
    return result.exit_code, json.loads(last)


SAME_PERSON = [
    # Horodateur, Civilité, Nom, Prénom, e-mail, portable, adresse, code postal, ville, note, commentaire
    [
        "01/10/2026 08:00:00",
        "Madame",
        "Lefèvre",
        "Zoé",
        "zoe.lefevre@exemple.fr",
        "06 12 34 56 78",
        "12, rue de l'Église",
        "94240",
        "L'Haÿ-les-Roses",
        "4",
        "Très bien",
    ],
    [
        "02/10/2026 08:00:00",
        "Monsieur",
        "N'Diaye",
        "Jean-Pierre",
        "jp.ndiaye@exemple.org",
        "07 81 22 33 44",
        "5 impasse des Acacias",
        "13001",
        "Marseille",
        "5",
        "",
    ],
    [
        "15/10/2026 09:30:00",
        "Madame",
        "Lefèvre",
        "Zoé",
        "Zoe.Lefevre@Exemple.fr",
        "06 12 34 56 78",
        "3 avenue Jean-Jaurès",
        "94240",
        "L'Haÿ-les-Roses",
        "5",
        "Parfait",
    ],
    [
        "16/10/2026 09:30:00",
        "Madame",
        "Lefèvre",
        "Zoé",
        "zoe.lefevre@exemple.fr",
        "06 12 34 56 78",
        "3 avenue Jean-Jaurès",
        "94240",
        "L'Haÿ-les-Roses",
        "5",
        "Parfait",
    ],
    [
        "17/10/2026 10:00:00",
        "Madame",
        "Martin",
        "Léa",
        "lea.martin@exemple.fr",
        "06 12",
        "1 place de la Mairie",
        "75001",
        "Paris",
        "3",
        "",
    ],
]
