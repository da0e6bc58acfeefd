"""Reading a response export: French and English, re-saved by Excel, ambiguous dates, checkboxes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from shared.backfill.csv_export import ERROR_COLUMNS, CsvExport
from shared.backfill.sources import BadRow
from shared.errors import ConfigError
from shared.mapping.form import FormDescription, FormItem
from shared.webhook import Submission

FORM = FormDescription(
    "1ContactDevisExemple2026",
    "Demande de devis",
    (
        FormItem(3002, "Nom complet", "TEXT"),
        FormItem(3003, "E-mail", "TEXT"),
        FormItem(
            3008,
            "Services souhaités",
            "CHECKBOX",
            ("Ménage", "Repassage", "Garde d'enfants, de 3 à 6 ans", "Courses"),
        ),
        FormItem(3009, "Date de début souhaitée", "DATE"),
        FormItem(3011, "Heure de passage", "TIME"),
        FormItem(3012, "Disponibilités", "CHECKBOX_GRID", ("Matin", "Après-midi")),
        FormItem(3013, "Justificatif", "FILE_UPLOAD"),
        FormItem(3014, "Civilité", "MULTIPLE_CHOICE", ("Madame", "Monsieur")),
    ),
)


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "réponses.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def read(path: Path, form: FormDescription | None = FORM, **kw: object) -> list[Submission | BadRow]:
    return [item for _, item in CsvExport.read(path, FORM.form_id, form=form, **kw).rows]  # type: ignore[arg-type]


def answers(item: Submission | BadRow) -> dict[str, object]:
    assert isinstance(item, Submission), item
    return {a.title: a.value for a in item.answers}


def test_an_english_export_is_read_and_its_month_first_dates_recognised(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Timestamp,Nom complet,Date de début souhaitée\n"
        "11/28/2026 10:15:32,Jean-Pierre N'Diaye,1/4/2027\n"
        "11/5/2026 9:05:03,Zoé Lefèvre,12/13/2026\n",
    )
    first, second = read(path)
    assert isinstance(first, Submission)
    assert isinstance(second, Submission)
    assert first.submitted_at == datetime(2026, 11, 28, 9, 15, 32, tzinfo=UTC)  # Paris time in the sheet
    assert second.submitted_at == datetime(2026, 11, 5, 8, 5, 3, tzinfo=UTC)  # 5 November, not 11 May
    assert answers(first)["Date de début souhaitée"] == "2027-01-04"


def test_a_french_export_is_day_first_even_when_every_date_reads_both_ways(tmp_path: Path) -> None:
    path = write(tmp_path, "Horodateur,Nom complet\n11/05/2026 10:15:32,Marie-Hélène D'Arnoux\n")
    (row,) = read(path)
    assert isinstance(row, Submission)
    assert row.submitted_at == datetime(2026, 5, 11, 8, 15, 32, tzinfo=UTC)


def test_an_ambiguous_date_is_refused_with_its_row_and_column_unless_the_order_is_given(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path, "Timestamp,Nom complet\n11/05/2026 10:15:32,Marie-Hélène D'Arnoux\n5/5/2026 8:00:00,Zoé\n"
    )
    bad, fine = read(path)
    assert isinstance(bad, BadRow)
    assert bad.row == "line 2"
    assert bad.error == (
        "column 'Timestamp': '11/05/2026 10:15:32' could be 11 May 2026 or 5 November 2026: say how the "
        "file writes dates with --date-order dmy (day first) or mdy (month first)"
    )
    assert isinstance(fine, Submission)  # 5/5 reads the same both ways
    (forced, _) = read(path, date_order="mdy")
    assert isinstance(forced, Submission)
    assert forced.submitted_at.month == 11


def test_dates_written_both_ways_in_one_file_stop_the_run_naming_both_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "Timestamp,Nom complet\n28/11/2026 10:15:32,A\n11/28/2026 10:15:32,B\n")
    with pytest.raises(ConfigError) as caught:
        read(path)
    message = str(caught.value)
    assert "réponses.csv: its dates are written both day first (line 2: '28/11/2026 10:15:32')" in message
    assert "month first (line 3: '11/28/2026 10:15:32')" in message


def test_an_excel_resave_in_windows_1252_with_semicolons_is_read(tmp_path: Path) -> None:
    text = (
        "Horodateur;Nom complet;Services souhaités\r\n"
        "28/11/2026 10:15;Hélène Lefèvre-N'Diaye;Ménage, Garde d'enfants, de 3 à 6 ans\r\n"
    )
    path = write(tmp_path, text, "cp1252")
    (row,) = read(path)
    assert answers(row) == {
        "Nom complet": "Hélène Lefèvre-N'Diaye",
        "Services souhaités": ["Ménage", "Garde d'enfants, de 3 à 6 ans"],
    }


def test_an_excel_unicode_text_export_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "Horodateur\tNom complet\r\n28/11/2026 10:15:00\tZoé Lefèvre\r\n", "utf-16")
    (row,) = read(path)
    assert answers(row) == {"Nom complet": "Zoé Lefèvre"}


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"PK\x03\x04\x14\x00rest", "réponses.csv is an Excel workbook, not CSV: save it as 'CSV UTF-8'"),
        (b"\x81\x8d\x8f\x90\x9d" * 3, "réponses.csv: not a text file in UTF-8 or Windows-1252"),
        (
            b'{"responses": []}',
            "réponses.csv: this is JSON, not CSV: for a Forms API export, use --format",
        ),
        (
            "Nom;Prénom\nDupont;Zoé\n".encode(),
            "réponses.csv: the first line should be the column titles, with Horodateur or Timestamp; "
            "it is 'Nom;Prénom'",
        ),
        (b"", "réponses.csv: the first line should be the column titles"),
        (
            b"[Formulaire]\nNom=Dupont\n",
            "the column titles, with Horodateur or Timestamp; it is '[Formulaire]'",
        ),
    ],
)
def test_what_is_not_an_export_is_refused_in_one_line_naming_the_file(
    tmp_path: Path, content: bytes, says: str
) -> None:
    path = tmp_path / "réponses.csv"
    path.write_bytes(content)
    with pytest.raises(ConfigError) as caught:
        read(path)
    assert says in str(caught.value)
    assert "\n" not in str(caught.value)


def test_with_the_form_cells_become_the_live_values(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Horodateur,Civilité,Services souhaités,Date de début souhaitée,Heure de passage,"
        "Disponibilités [Lundi],Disponibilités [Jeudi],Justificatif,Question ajoutée depuis\n"
        '28/11/2026 10:15:32,Madame,"Repassage, Garde d\'enfants, de 3 à 6 ans, Jardinage, taille",'
        '04/01/2027,14:30:00,Matin,"Matin, Après-midi",'
        '"https://drive.google.com/open?id=1AbC-dEf, https://drive.google.com/open?id=2XyZ",oui\n',
    )
    (row,) = read(path)
    assert answers(row) == {
        "Civilité": "Madame",
        # a choice holding ", " stays whole; an "Other" answer is the rest, in one piece
        "Services souhaités": ["Repassage", "Garde d'enfants, de 3 à 6 ans", "Jardinage, taille"],
        "Date de début souhaitée": "2027-01-04",
        "Heure de passage": "14:30",
        "Disponibilités": [["Matin"], ["Matin", "Après-midi"]],
        "Justificatif": ["1AbC-dEf", "2XyZ"],
        "Question ajoutée depuis": "oui",
    }
    assert isinstance(row, Submission)
    assert {a.title: a.item_id for a in row.answers}["Services souhaités"] == 3008
    assert {a.title: a.item_id for a in row.answers}["Question ajoutée depuis"] == -9


def test_unanswered_questions_are_like_live_ones_text_empty_choices_absent(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Horodateur,Nom complet,Civilité,Services souhaités,Date de début souhaitée\n"
        "28/11/2026 10:15:32,,,,\n",
    )
    (row,) = read(path)
    assert answers(row) == {"Nom complet": "", "Date de début souhaitée": ""}


def test_without_the_form_every_cell_stays_text_and_a_note_says_so(tmp_path: Path) -> None:
    path = write(tmp_path, 'Horodateur,Services souhaités\n28/11/2026 10:15:32,"Ménage, Courses"\n')
    export = CsvExport.read(path, FORM.form_id)
    assert answers(export.rows[0][1]) == {"Services souhaités": "Ménage, Courses"}
    assert len(export.notes) == 1
    assert "without --form" in export.notes[0]


def test_the_collected_address_column_and_a_question_of_the_same_title(tmp_path: Path) -> None:
    form = FormDescription(
        "f", "Inscription", (FormItem(4004, "Adresse e-mail", "TEXT"), FormItem(4002, "Nom", "TEXT"))
    )
    both = write(
        tmp_path, "Horodateur,Adresse e-mail,Nom,Adresse e-mail\n28/11/2026 10:15:32,lea@exemple.fr,Martin,\n"
    )
    (row,) = read(both, form)
    assert isinstance(row, Submission)
    assert (row.respondent_email, answers(row)) == ("lea@exemple.fr", {"Nom": "Martin", "Adresse e-mail": ""})
    question_only = write(
        tmp_path, "Horodateur,Adresse e-mail,Nom\n28/11/2026 10:15:32,zoe@exemple.fr,Lefèvre\n", name="q.csv"
    )
    (row,) = read(question_only, form)
    assert isinstance(row, Submission)
    assert (row.respondent_email, answers(row)["Adresse e-mail"]) == (None, "zoe@exemple.fr")
    collected_only = write(
        tmp_path, "Timestamp,Email Address,Nom\n11/28/2026 10:15:32,zoe@exemple.fr,Lefèvre\n", name="c.csv"
    )
    (row,) = read(collected_only, form)
    assert isinstance(row, Submission)
    assert (row.respondent_email, answers(row)) == ("zoe@exemple.fr", {"Nom": "Lefèvre"})


def test_a_failed_rows_file_keeps_the_row_as_exported_and_reads_back_as_the_same_response(
    tmp_path: Path,
) -> None:
    text = (
        "Horodateur;Nom complet;Services souhaités\r\n"
        "28/11/2026 10:15;Hélène Lefèvre-N'Diaye;Ménage\r\n"
        '29/11/2026 11:00;Jean-Pierre de La Fontaine;"Repassage, Courses"\r\n'
    )
    source = CsvExport.read(write(tmp_path, text, "cp1252"), FORM.form_id, form=FORM)
    failed = tmp_path / "réponses.csv.failed.csv"
    source.write_failed(
        failed, [("line 3", ["the phone is not valid", "mobile_phone", "'Téléphone'", "line 3"])]
    )
    raw = failed.read_bytes()
    assert raw.decode("cp1252").splitlines() == [
        "Horodateur;Nom complet;Services souhaités;" + ";".join(ERROR_COLUMNS),
        "29/11/2026 11:00;Jean-Pierre de La Fontaine;Repassage, Courses;the phone is not valid;"
        "mobile_phone;'Téléphone';line 3;dmy",
    ]
    again = CsvExport.read(failed, FORM.form_id, form=FORM)
    ((_, row),) = again.rows
    assert isinstance(row, Submission)
    assert row.response_id == source.rows[1][1].response_id  # type: ignore[union-attr]
    assert answers(row) == {
        "Nom complet": "Jean-Pierre de La Fontaine",
        "Services souhaités": ["Repassage", "Courses"],
    }
    assert again.headers == source.headers


def test_a_utf8_export_with_one_stray_byte_is_read_as_utf8_and_only_that_cell_refused(
    tmp_path: Path,
) -> None:
    # One cell pasted from a Windows-1252 program into a UTF-8 export: "Lef\xe8vre" (è as one byte).
    raw = (
        "Horodateur,Nom complet,Ville\n"
        "28/11/2026 10:15:32,Hélène LEFÈVRE,L'Haÿ-les-Roses\n"
        "28/11/2026 10:16:00,Zoé Lef\x00vre,Saint-Étienne\n"
        "28/11/2026 10:17:00,Jean-Pierre N'Diaye,Châlons-en-Champagne\n"
    ).encode()
    path = tmp_path / "réponses.csv"
    path.write_bytes(raw.replace(b"\x00", b"\xe8"))
    first, damaged, third = read(path, form=None)
    assert answers(first) == {"Nom complet": "Hélène LEFÈVRE", "Ville": "L'Haÿ-les-Roses"}  # no mojibake
    assert answers(third) == {"Nom complet": "Jean-Pierre N'Diaye", "Ville": "Châlons-en-Champagne"}
    assert isinstance(damaged, BadRow)
    assert damaged.row == "line 3"
    assert damaged.error.startswith("column 'Nom complet' holds a byte that is not UTF-8")


def test_a_damaged_column_title_in_a_utf8_export_refuses_the_file_naming_the_column(tmp_path: Path) -> None:
    raw = "Horodateur,Prénom,Ville\n28/11/2026 10:15:32,Zoé,Nîmes\n".encode().replace(b"Ville", b"Vill\xe9")
    path = tmp_path / "réponses.csv"
    path.write_bytes(raw)
    with pytest.raises(ConfigError) as caught:
        read(path, form=None)
    assert "the title of column 3 ('Vill\ufffd') holds a byte that is not UTF-8" in str(caught.value)


def test_an_impossible_date_is_refused_as_such_naming_row_and_column(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Horodateur,Nom complet,Date de début souhaitée\n"
        "28/11/2026 10:15:32,Zoé Lefèvre,31/02/2027\n"
        "28/11/2026 10:16:32,Jean-Pierre N'Diaye,28/02/2027\n",
    )
    impossible, fine = read(path)
    assert isinstance(impossible, BadRow)
    assert (impossible.row, impossible.error) == (
        "line 2",
        "column 'Date de début souhaitée': '31/02/2027' is not a real date (February has no day 31)",
    )
    assert answers(fine)["Date de début souhaitée"] == "2027-02-28"


def test_a_failed_rows_file_keeps_the_date_order_its_export_proved(tmp_path: Path) -> None:
    # The export proves month first (11/28); its failed row's own date reads both ways (11/05).
    text = (
        "Timestamp,Nom complet,E-mail\n"
        "11/28/2026 10:15:32,Zoé Lefèvre,zoe@exemple.fr\n"
        "11/05/2026 9:05:03,Jean-Pierre N'Diaye,pas-une-adresse\n"
    )
    source = CsvExport.read(write(tmp_path, text), FORM.form_id, form=FORM)
    assert source.date_order == "mdy"
    failed = tmp_path / "réponses.csv.failed.csv"
    source.write_failed(failed, [("line 3", ["not an e-mail address", "email", "'E-mail'", "line 3"])])
    again = CsvExport.read(failed, FORM.form_id, form=FORM)
    ((_, row),) = again.rows
    assert isinstance(row, Submission)
    assert row.submitted_at == datetime(2026, 11, 5, 8, 5, 3, tzinfo=UTC)  # 5 November, as before
    assert row.response_id == source.rows[1][1].response_id  # type: ignore[union-attr]
