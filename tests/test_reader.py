"""The reader extension's page rewrites and page furniture (``_ext/reader``), on small HTML."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))

from reader import furniture, icons, pages  # noqa: E402

WORDS = pages.WORDS


def test_element_end_finds_the_balanced_closing_tag():
    text = '<div a><div>x</div><p>y</p></div><div>z</div>'
    assert text[:pages.element_end(text, 0)] == '<div a><div>x</div><p>y</p></div>'
    with pytest.raises(ValueError, match="never closed"):
        pages.element_end("<div><div></div>", 0)


def test_a_table_gets_a_labelled_focusable_region():
    body = ('<p>x</p><table class="dataframe"><thead><tr><th></th><th>cost</th><th>requests'
            '</th></tr></thead><tbody><tr><th>a</th><td>1</td><td>2</td></tr></tbody></table>')
    out = pages.scrolling_tables(body, WORDS)
    assert out.count('role="region"') == 1 and 'tabindex="0"' in out
    assert 'aria-label="Table: cost, requests"' in out
    assert out.index('class="pst-scrollable-table-container reader-table"') < out.index("<table")
    assert out.endswith("</table></div>")


def test_the_themes_table_container_is_labelled_not_wrapped_again():
    body = ('<div class="pst-scrollable-table-container">\n<table><caption>Prices</caption>'
            "<tr><th>a</th></tr></table>\n</div>")
    out = pages.scrolling_tables(body, WORDS)
    assert out.count("<div") == 1 and 'aria-label="Prices"' in out


def test_a_figure_opens_full_size_once():
    body = '<img alt="A plot" src="../_images/plot.png" />'
    out = pages.figures_open_full_size(body, WORDS)
    assert out.startswith('<a class="reader-figure" href="../_images/plot.png">')
    assert WORDS["full_size"] in out
    assert pages.figures_open_full_size('<a href="x"><img src="_images/a.png"></a>',
                                        WORDS).count("<a ") == 1
    assert "<a " not in pages.figures_open_full_size('<img src="_static/logo.png">', WORDS)


def test_bibliography_entries_are_list_items():
    body = '<div role="list"><div class="citation" role="doc-biblioentry">x</div></div>'
    assert 'role="listitem"' in pages.bibliography_roles(body)
    assert "doc-biblioentry" not in pages.bibliography_roles(body)


def test_solutions_are_copied_to_a_print_section_without_ids():
    body = ('<div class="exercise" id="ex">Q</div>'
            '<div class="solution dropdown admonition" id="s1"><p>A <div>B</div></p></div>'
            "<p>after</p>")
    out = pages.solutions_at_the_end(body, WORDS)
    assert out.startswith(body)
    copy = out[len(body):]
    assert 'class="reader-print-solutions"' in copy and WORDS["answers"] in copy
    assert 'id="s1"' not in copy and "dropdown" not in copy and "<div>B</div>" in copy
    assert pages.solutions_at_the_end("<p>no exercises</p>", WORDS) == "<p>no exercises</p>"


@pytest.mark.parametrize(("text", "expected"), [
    ("324.738 ms", "324.738\u00a0ms"),
    ("at 1,024 MB and 3 s", "at 1,024\u00a0MB and 3\u00a0s"),
    ("30 초 동안 3,006만 건", "30\u00a0초 동안 3,006만\u00a0건"),
    ("version 3 said", "version 3 said"),
    ("2 seconds", "2 seconds"),
])
def test_numbers_keep_their_units(text, expected):
    assert pages.numbers_with_units(f"<p>{text}</p>") == f"<p>{expected}</p>"


def test_numbers_in_code_and_mathematics_are_left_alone():
    body = '<code>sleep 3 s</code><span class="math">3 s</span><p title="3 s">3 s</p>'
    assert pages.numbers_with_units(body) == (
        '<code>sleep 3 s</code><span class="math">3 s</span><p title="3 s">3\u00a0s</p>')


def test_code_toggles_are_named_by_their_words():
    body = '<summary aria-label="Toggle hidden content"><p>Show code cell source</p></summary>'
    assert "aria-label" not in pages.toggles_named_by_their_text(body)
    # a translated edition may name it in its own language before this runs
    korean = '<summary aria-label="숨긴 내용 펼치기/접기"><p>코드 셀 소스 보기</p></summary>'
    assert pages.toggles_named_by_their_text(korean) == (
        "<summary><p>코드 셀 소스 보기</p></summary>")


def test_the_fontawesome_script_is_dropped_and_icons_are_found():
    page = ('<head>\n  <script defer src="../_static/scripts/fontawesome.js?digest=1"></script>\n'
            '<script src="x.js"></script></head><i class="fa-solid fa-bars fa-lg"></i>'
            '<i class="fab fa-github"></i>')
    out = icons.drop_script(page)
    assert "fontawesome" not in out and 'src="x.js"' in out
    assert icons.icon_names(page) == {"fa-bars", "fa-github"}
    css = '.fa-bars:before{content:"\\f0c9"}.fa-github:before{content:"\\f09b"}'
    assert icons.codepoints(css, {"fa-bars", "fa-github", "fa-nothing"}) == {0xF0C9, 0xF09B}


def test_the_print_button_becomes_a_link_to_the_pdf():
    page = ('<li><button onclick="window.print()"\n  class="btn btn-sm btn-download-pdf-button '
            'dropdown-item"\n  title="Print to PDF"\n  data-bs-toggle="tooltip"\n>\n<span>.pdf'
            "</span>\n</button></li>")
    out = furniture.pdf_link(page, "../pdf/ec2-vs-lambda-en.pdf", "Download the book")
    assert "window.print" not in out and "<button" not in out
    assert '<a href="../pdf/ec2-vs-lambda-en.pdf"' in out and out.endswith("</a></li>")
    assert furniture.pdf_name("ko") == "ec2-vs-lambda-ko.pdf"


def test_the_search_field_is_named_by_its_words():
    page = ('<button class="btn search-button-field x" title="Search" aria-label="Search" '
            'data-bs-toggle="tooltip"><span>Search</span></button>')
    out = furniture.search_named_by_its_text(page)
    assert "aria-label" not in out and 'title="Search"' in out


def test_a_pandas_index_name_moves_into_the_header_corner():
    body = ('<table border="1" class="dataframe">\n  <thead>\n    <tr style="text-align: right;">'
            "\n      <th></th>\n      <th>region</th>\n      <th>value</th>\n    </tr>\n    <tr>"
            "\n      <th>item</th>\n      <th></th>\n      <th></th>\n    </tr>\n  </thead>"
            "<tbody><tr><th>requests</th><td>x</td><td>1</td></tr></tbody></table>")
    out = pages.index_names_in_header(body)
    assert out.count("<tr") == 2 and "<th>item</th>" in out
    assert out.index("<th>item</th>") < out.index("<th>region</th>")
    multi = body.replace("<th>item</th>\n      <th></th>", "<th>a</th>\n      <th>b</th>")
    assert pages.index_names_in_header(multi) == multi  # the corner is too small for two names
    plain = body.replace("<th>item</th>", "<th></th>")
    assert pages.index_names_in_header(plain) == plain
