"""build, watch and preview: one set of options; the audience and language checks; warnings;
certificates from real participant lists."""

from __future__ import annotations

from pathlib import Path

import click
import openpyxl
from click.testing import CliRunner

from ccrl_kit.cli import duration, main
from ccrl_kit.content.participants import read_names
from ccrl_kit.content.workspace import load_workspace
from ccrl_kit.resolve.labels import Labels
from ccrl_kit.resolve.resolver import resolve


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def options(name: str) -> dict[str, tuple]:
    command = main.commands[name]
    return {p.name: p.to_info_dict() for p in command.params}


def test_build_watch_and_preview_take_the_same_options():
    build = options("build")
    assert {"course", "audiences", "languages", "formats", "out", "templates", "deck_template",
            "minutes", "participants", "paper", "jobs", "force"} <= set(build)
    assert options("watch") == build
    assert options("preview") == {**build, "port": options("preview")["port"]}


def test_the_help_of_each_says_so():
    for name in ("watch", "preview"):
        assert "Takes the same options as build" in main.commands[name].help
    context = click.Context(main.commands["preview"], info_name="preview")
    assert "--template" in main.commands["preview"].get_help(context)


def test_an_audience_the_course_does_not_list_is_an_error_naming_its_audiences(minimal):
    (minimal / "audiences" / "judges.yaml").write_text(
        "id: judges\nname: Judges\nparticipants: Judges.\nneeds: [Fair trials.]\n")
    result = run("-C", str(minimal), "build", "-a", "judges", "-f", "html")
    assert result.exit_code == 1
    assert result.output == (
        "error: audience 'judges' is not an audience of this course (course 'mini' is for: "
        "police, teachers); add it to the course's 'audiences:', or build with --force\n")
    assert not (minimal / "output" / "mini" / "judges").exists()
    forced = run("-C", str(minimal), "build", "-a", "judges", "-f", "html", "--force", "-j", "1")
    assert forced.exit_code == 0
    assert "warning: building for 'judges', which is not an audience of this course" in (
        forced.stderr)
    assert (minimal / "output" / "mini" / "judges" / "en" / "participant-handout.html").is_file()


def test_build_in_kyrgyz_works_with_a_coverage_warning(minimal):
    result = run("-C", str(minimal), "build", "-l", "ky", "-a", "police", "-f", "html",
                 "-f", "pptx", "-j", "1")
    assert result.exit_code == 0, result.output
    warnings = [ln for ln in result.stderr.splitlines() if ln.startswith("warning: ")]
    assert warnings == [
        f"warning: police/ky/{kind}: mostly fallback: 100% of its {what} is not in ky (Kyrgyz), "
        "but shown in en 100%; its fixed wording (headings, labels) is shown in en 100% (see "
        "'ccrl i18n -l ky')"
        for kind, what in (("deck", "participant-facing text"), ("facilitator-guide", "text"),
                           ("participant-handout", "participant-facing text"))]
    handout = minimal / "output" / "mini" / "police" / "ky" / "participant-handout.html"
    assert "A short module." in handout.read_text()  # the module summary, shown in English
    assert "10 мүнөт" in handout.read_text()  # units from CLDR for the real language


def test_a_mistyped_language_gets_a_suggestion(minimal):
    result = run("-C", str(minimal), "build", "-l", "kg")
    assert result.exit_code == 1
    assert result.output == "error: unknown language code 'kg': did you mean 'ky' (Kyrgyz)?\n"


def test_durations_on_the_command_line():
    assert [duration(n) for n in (5, 60, 90, 185)] == ["5 min", "1 h", "1 h 30 min", "3 h 5 min"]


def test_list_shows_durations_not_decimals(minimal):
    result = run("-C", str(minimal), "list")
    assert "     10 min  Introduction" in result.output and "hours" not in result.output


def certificate_names(ws_root: Path, names: tuple[str, ...]) -> tuple[str, ...]:
    """The names the certificate plan holds, one page each."""
    from ccrl_kit.plan.certificates import plan_certificates

    ws = load_workspace(ws_root)
    course = resolve(ws, "mini", "police", "en")
    return plan_certificates(course, names, Labels("en")).names


def test_certificates_from_a_semicolon_csv_with_an_fio_header(minimal, tmp_path):
    path = tmp_path / "участники.csv"
    path.write_bytes("\ufeffФИО;Должность\r\nИванов Иван Иванович;судья\r\n"
                     "Сейітова Айгүл Маратқызы;прокурор\r\n".encode())
    assert certificate_names(minimal, read_names(path)) == (
        "Иванов Иван Иванович", "Сейітова Айгүл Маратқызы")


def test_certificates_from_an_xlsx_with_first_and_last_name_columns(minimal, tmp_path):
    book = openpyxl.Workbook()
    for row in (["First name", "Last name", "Court"], ["Aibek", "Toktogulov", "Bishkek"],
                ["Nurgul", "Asanova", "Osh"]):
        book.active.append(row)
    book.save(tmp_path / "judges.xlsx")
    assert certificate_names(minimal, read_names(tmp_path / "judges.xlsx")) == (
        "Aibek Toktogulov", "Nurgul Asanova")


def test_a_participant_file_problem_is_a_clear_error(minimal, tmp_path):
    (tmp_path / "names.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    result = run("-C", str(minimal), "build", "-f", "pdf", "--participants",
                 str(tmp_path / "names.xls"))
    assert result.exit_code == 1
    assert result.output == (f"{tmp_path}/names.xls: cannot read '.xls' files (an old Excel "
                             "workbook: save it as .xlsx or as 'CSV UTF-8'): give a .csv, .xlsx "
                             "or .txt file (one name a line)\n1 problem found\n")
