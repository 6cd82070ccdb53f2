"""Templates: team overrides first, escaping, the filters, and errors that name the template."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from debtdesk.documents.templates import TemplateRenderError, Templates


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_teams_copy_is_used_before_the_shipped_one(tmp_path: Path) -> None:
    shipped = _write(tmp_path / "shipped", "letter.html", "shipped {{ who }}")
    _write(shipped, "only_shipped.html", "still found")
    team = _write(tmp_path / "team", "letter.html", "team's own {{ who }}")

    templates = Templates(team, shipped_dir=shipped)

    assert templates.render("letter.html", who="x") == "team's own x"
    assert templates.render("only_shipped.html") == "still found"
    assert Templates(shipped_dir=shipped).render("letter.html", who="x") == "shipped x"


def test_names_are_escaped(tmp_path: Path) -> None:
    team = _write(tmp_path, "t.html", "<p>{{ name }}</p>")
    html = Templates(shipped_dir=team).render("t.html", name='O\'Brien & <Sons> "Ltd"')
    assert html == "<p>O&#39;Brien &amp; &lt;Sons&gt; &#34;Ltd&#34;</p>"


def test_filters(tmp_path: Path) -> None:
    text = "{{ p|money }}|{{ n|money }}|{{ d|longdate }}|{{ d|shortdate }}|{{ s|sortcode }}"
    templates = Templates(shipped_dir=_write(tmp_path, "f.html", text))
    out = templates.render("f.html", p=123450, n=-1200, d=date(2026, 11, 3), s="123456")
    assert out == "£1,234.50|-£12.00|3 November 2026|03/11/2026|12-34-56"


def test_a_missing_template_is_named(tmp_path: Path) -> None:
    with pytest.raises(TemplateRenderError, match="'nowhere.html' not found"):
        Templates(shipped_dir=tmp_path).render("nowhere.html")


def test_an_undefined_value_names_the_file_and_line(tmp_path: Path) -> None:
    templates = Templates(shipped_dir=_write(tmp_path, "s.html", "Dear\n{{ letter.name }}"))
    with pytest.raises(TemplateRenderError, match=r"/s.html line 2: 'letter' is undefined"):
        templates.render("s.html")


def test_a_mistake_in_a_teams_copy_names_that_file(tmp_path: Path) -> None:
    shipped = _write(tmp_path / "shipped", "base.html", "{% block body %}{% endblock %}")
    team = _write(tmp_path / "team", "letter.html", "{% extends 'base.html' %}\n{% block body %")
    with pytest.raises(TemplateRenderError, match=r"team/letter.html line 2: expected token"):
        Templates(team, shipped_dir=shipped).render("letter.html")


def test_a_filter_refuses_a_wrong_value(tmp_path: Path) -> None:
    templates = Templates(shipped_dir=_write(tmp_path, "m.html", "{{ x|money }}"))
    with pytest.raises(TemplateRenderError, match="/m.html line 1: money expects whole pence"):
        templates.render("m.html", x=12.5)
