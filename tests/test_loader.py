"""The loader keeps positions and turns every YAML trap into a positioned problem."""

from __future__ import annotations

import pytest

from ccrl_kit.content.loader import LoadError, load_file, load_text


def problem(text: str):
    with pytest.raises(LoadError) as info:
        load_text(text, "modules/x.yaml")
    return info.value.problem


def test_it_keeps_the_line_and_column_of_every_node():
    doc = load_text("id: x\nobjectives:\n  - one\n  - two\n", "modules/x.yaml")
    assert doc.data == {"id": "x", "objectives": ["one", "two"]}
    assert doc.where(("objectives", 1)) == (4, 5)
    assert doc.where(("objectives",), key=True) == (2, 1)


def test_a_syntax_error_names_file_line_and_column():
    p = problem("id: x\ntitle: a: b\n")
    assert (p.file, p.line, p.col) == ("modules/x.yaml", 2, 9)
    assert "YAML syntax error" in p.message


def test_it_rejects_a_duplicate_key():
    p = problem("id: x\ntitle: A\ntitle: B\n")
    assert (p.line, p.col) == (3, 1)
    assert p.message == "duplicate key 'title' (first given on line 2)"


def test_it_rejects_tabs_in_indentation():
    p = problem("id: x\nobjectives:\n\t- one\n")
    assert (p.line, p.col) == (3, 1)
    assert "tab character" in p.message


def test_it_refuses_object_constructing_tags():
    p = problem("id: !!python/object/apply:os.system ['echo hi']\n")
    assert "YAML tag" in p.message and "not allowed" in p.message


def test_an_empty_file_is_a_problem():
    assert problem("").message == "file is empty"
    assert problem("# only a comment\n").message == "file is empty"


def test_it_reads_times_and_norway_as_text():
    doc = load_text("start: 9:30\nlang: no\nflag: true\nn: 5\nd: 2025-09-13\n", "x.yaml")
    assert doc.data["start"] == "9:30"
    assert doc.data["lang"] == "no"
    assert doc.data["flag"] is True and doc.data["n"] == 5
    assert str(doc.data["d"]) == "2025-09-13"


def test_a_billion_laughs_file_is_refused_before_expanding():
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    p = problem("\n".join(lines) + "\n")
    assert p.message.startswith("file expands to more than 100,000 values")
    assert "refusing to load it" in p.message


def test_a_recursive_alias_is_refused():
    assert "refusing to load it" in problem("a: &a [1, *a]\n").message


def test_a_file_that_is_not_utf8_names_the_byte(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes("id: x\ntitle: caf\xe9\n".encode("latin-1"))
    with pytest.raises(LoadError) as info:
        load_file(path, "modules/x.yaml")
    p = info.value.problem
    assert (p.line, p.col) == (2, 11)
    assert "not UTF-8" in p.message


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# " + b"x" * (2 * 1024 * 1024))
    with pytest.raises(LoadError) as info:
        load_file(path, "modules/big.yaml")
    assert "over the limit" in info.value.problem.message


@pytest.fixture(params=["CSafeLoader", "SafeLoader"])
def parser(request, monkeypatch):
    import yaml

    from ccrl_kit.content import loader

    if not hasattr(yaml, request.param):
        pytest.skip("PyYAML without libyaml")
    monkeypatch.setattr(loader, "_Loader", getattr(yaml, request.param))


@pytest.mark.parametrize("text", [
    "a: " + "[" * 20_000 + "]" * 20_000 + "\n",
    "a: " + "{b: " * 5_000 + "1" + "}" * 5_000 + "\n",
    "a: &x 1\nb: " + "[" * 900 + "*x" + "]" * 900 + "\n",
])
@pytest.mark.slow
def test_deep_nesting_is_a_problem_with_either_parser(parser, text):
    assert "nesting" in problem(text).message


def test_a_number_too_long_to_convert_is_a_problem(parser):
    p = problem("minutes: " + "9" * 5000 + "\n")
    assert (p.line, p.col, p.message) == (1, 10, "number with 5000 digits is too large")


def test_a_plain_number_ending_the_line_is_still_a_number():
    assert load_text("a: 5\nb: 1.5\nc: null\n", "x.yaml").data == {"a": 5, "b": 1.5, "c": None}
