"""A 自治会's tally of the survey sheets it collected: one row per 町丁目, counts per answer.

The columns are the answers in words (知っている, 自力で行ける, 車いす …) or their keys; a row is
checked against the survey's own 町丁目 and against itself (no answer counted more often than
there were answers). Which survey the tally belongs to is decided by the caller.
"""

from __future__ import annotations

from pathlib import Path

from app.domain.survey import HELP_KINDS
from app.domain.text import whole_number
from app.importers.report import ImportReport, RowError, fail_if
from app.importers.tables import numbered, pick_column, read_table

TALLY_HEADERS: dict[str, tuple[str, ...]] = {
    "chome": ("町丁目", "町名", "chome"),
    "answers": ("回答数", "回収数", "answers"),
    "knows_yes": ("知っている", "避難場所を知っている", "knows_yes"),
    "knows_no": ("知らない", "knows_no"),
    "alone_yes": ("自力で行ける", "alone_yes"),
    "alone_no": ("自力で行けない", "alone_no"),
    "alone_unsure": ("わからない", "alone_unsure"),
    "needs_help_yes": ("助けが必要", "needs_help_yes"),
    "needs_help_no": ("助けは不要", "助け不要", "needs_help_no"),
    **{f"help_{key}": (label, f"help_{key}") for key, label in HELP_KINDS.items()},
}
# Each pair of columns answers one question: together they cannot exceed the answers.
QUESTION_GROUPS = (("knows_yes", "knows_no"), ("alone_yes", "alone_no", "alone_unsure"),
                   ("needs_help_yes", "needs_help_no"))


def parse_tally(path: Path, chome_names: list[str]) -> tuple[list[dict], ImportReport]:
    """Read a tally file of a survey whose area holds ``chome_names``.

    Returns
    -------
    rows, report
        One dict per 町丁目 with ``chome``, ``answers`` and every count (0 when the column is
        missing); raises ``ImportFailed`` listing every bad cell instead.
    """
    path = Path(path)
    header, rows, encoding = read_table(path)
    cols = {key: pick_column(header, aliases) for key, aliases in TALLY_HEADERS.items()}
    fail_if([RowError(path.name, None, label, f"no {label} column; expected one of "
                      f"{', '.join(TALLY_HEADERS[key])}. Found: {', '.join(header)}")
             for key, label in (("chome", "町丁目"), ("answers", "回答数")) if cols[key] is None])
    out, errors, seen = [], [], {}
    for number, row in numbered(rows):
        record, row_errors = _parse_row(path.name, number, row, cols, chome_names)
        if record and record["chome"] in seen:
            row_errors.append(RowError(path.name, number, cols["chome"], f"{record['chome']} is counted "
                                       f"already in row {seen[record['chome']]}; one row per 町丁目"))
        errors.extend(row_errors)
        if record and not row_errors:
            seen[record["chome"]] = number
            out.append(record)
    fail_if(errors)
    report = ImportReport(file=path.name, layer="survey_tally", read=len(rows), stored=len(out))
    report.notes.append(f"encoding: {encoding}")
    return out, report


def _parse_row(file, number, row, cols, chome_names):
    errors = []
    chome = row.get(cols["chome"], "").strip()
    if chome not in chome_names:
        errors.append(RowError(file, number, cols["chome"], f"{chome or '(empty)'} is not a 町丁目 of this "
                               "survey's area; use the names on the printed sheets"))
    record = {"chome": chome}
    for key, column in cols.items():
        if key == "chome":
            continue
        text = row.get(column, "").strip() if column else ""
        count = whole_number(text, 6)
        if text and count is None:
            errors.append(RowError(file, number, column, f"{text!r} is not a count; write a whole number "
                                   "(0 to 999999, in ASCII digits), or leave it empty"))
        record[key] = count or 0
    for group in QUESTION_GROUPS:
        if sum(record[k] for k in group) > record["answers"]:
            errors.append(RowError(file, number, cols[group[0]], f"{' + '.join(cols[k] or k for k in group)} "
                                   f"add up to more than the {record['answers']} answers of this row"))
    # A kind of help is asked only of those who need help: no kind is counted more often than they.
    needing = (cols["needs_help_yes"], record["needs_help_yes"]) if cols["needs_help_yes"] else (
        cols["answers"], record["answers"])
    for key in (f"help_{k}" for k in HELP_KINDS):
        if record[key] > needing[1]:
            errors.append(RowError(file, number, cols[key], f"{record[key]} is more than the {needing[1]} "
                                   f"counted in {needing[0]}; a kind of help is counted once per sheet that "
                                   "needs help"))
    return record, errors
