"""What the reader meets on a page, rewritten in each page's body HTML as it is written.

Pure functions from HTML text to HTML text, each with one job, so they can be tested on small
snippets (``tests/test_reader.py``):

* :func:`scrolling_tables` - every table scrolls inside a focusable, labelled region when it is
  wider than the screen (``role="region"``, ``tabindex="0"``, ``aria-label``), instead of
  widening the page or squeezing its numbers;
* :func:`figures_open_full_size` - a figure drawn in a cell opens full size from a link, so a
  phone reader can read its labels (keyboard reachable, named by the figure's alt text);
* :func:`bibliography_roles` - the bibliography's entries are list items of its list (Sphinx
  writes the deprecated ``doc-biblioentry`` role, which leaves ``role="list"`` with no items);
* :func:`solutions_at_the_end` - a print-only copy of the page's solutions at its end, so the
  printed book and the PDF give the answers after the chapter, not beside each exercise;
* :func:`numbers_with_units` - a number and its unit never part at a line break;
* :func:`toggles_named_by_their_text` - a code cell's toggle is named by its visible words;
* :func:`index_names_in_header` - a pandas table's index name sits in its header's corner,
  not in a second, nearly empty header row.

The page's words (the regions' and links' labels, the answers' heading) come in a mapping, in
the page's language (:data:`WORDS`, translated from ``book.po``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

#: Every sentence these rewrites add to a page, in English (``book.po`` translates them).
WORDS = {
    "table": "Table: {columns}",
    "table_plain": "Table",
    "full_size": "(opens the figure full size)",
    "answers": "Answers to this page's exercises",
    "pdf": "Download the whole book as a PDF",
}

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")


def element_end(text: str, start: int) -> int:
    """The index just after the element that starts at ``start`` (its balanced closing tag)."""
    opening = _TAG.match(text, start)
    if opening is None:
        raise ValueError(f"start={start} is not at an opening tag")
    name = opening.group(2).lower()
    depth = 0
    for tag in re.finditer(rf"<(/?){name}\b[^>]*>", text[start:], flags=re.IGNORECASE):
        if tag.group(0).endswith("/>"):
            continue
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return start + tag.end()
    raise ValueError(f"the <{name}> at {start} is never closed")


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def table_label(table: str, words: Mapping[str, str]) -> str:
    """What a screen reader hears for a table's region: its caption, else its first columns."""
    caption = re.search(r"<caption\b.*?</caption>", table, re.DOTALL | re.IGNORECASE)
    if caption and _text(caption.group(0)):
        return _text(caption.group(0))
    head = re.search(r"<tr\b.*?</tr>", table, re.DOTALL | re.IGNORECASE)
    cells = [_text(c) for c in re.findall(r"<th\b.*?</th>", head.group(0) if head else "",
                                           re.DOTALL | re.IGNORECASE)]
    columns = [c for c in cells if c][:4]
    if not columns:
        return words["table_plain"]
    return words["table"].format(columns=", ".join(columns) + ("…" if len(cells) > 4 else ""))


_SCROLLER = '<div class="pst-scrollable-table-container">'


def scrolling_tables(body: str, words: Mapping[str, str]) -> str:
    """Every ``<table>`` inside a focusable, labelled region that scrolls sideways.

    The theme already wraps Markdown tables in a scrolling container: that container gets the
    role, label and tab stop. Other tables (a notebook's pandas tables, calculators' stored
    tables) get such a container of their own; the theme's script then keeps the tab stop only
    where the table is wider than its region.
    """
    out, at = [], 0
    for match in re.finditer(r"<table\b", body, re.IGNORECASE):
        if match.start() < at:
            continue  # inside a table already handled
        end = element_end(body, match.start())
        table = body[match.start():end]
        label = html.escape(table_label(table, words), quote=True)
        attributes = f'role="region" tabindex="0" aria-label="{label}"'
        before = body[at:match.start()]
        stripped = before.rstrip()
        if stripped.endswith(_SCROLLER):
            cut = len(stripped) - len(_SCROLLER)
            out.append(before[:cut] + f'<div class="pst-scrollable-table-container '
                       f'reader-table" {attributes}>' + before[len(stripped):] + table)
        else:
            out.append(before + f'<div class="pst-scrollable-table-container reader-table" '
                       f'{attributes}>{table}</div>')
        at = end
    out.append(body[at:])
    return "".join(out)


_IMAGE = re.compile(r'<img\b[^>]*\bsrc="(?P<src>[^"]*_images/[^"]*)"[^>]*>', re.IGNORECASE)


def figures_open_full_size(body: str, words: Mapping[str, str]) -> str:
    """Each figure the book drew (``_images/``) becomes a link to itself, full size."""
    hint = html.escape(words["full_size"], quote=False)

    def link(match: re.Match) -> str:
        before = body[max(0, match.start() - 200):match.start()]
        if re.search(r"<a\b[^>]*>\s*$", before):
            return match.group(0)  # already a link
        return (f'<a class="reader-figure" href="{match.group("src")}">{match.group(0)}'
                f'<span class="reader-visually-hidden"> {hint}</span></a>')

    return _IMAGE.sub(link, body)


def bibliography_roles(body: str) -> str:
    """``doc-biblioentry`` (deprecated in DPUB-ARIA 1.1) -> ``listitem`` of the citation list."""
    return body.replace('role="doc-biblioentry"', 'role="listitem"')


_SOLUTION = re.compile(r'<div class="solution\b[^"]*"[^>]*>')


def solutions_at_the_end(body: str, words: Mapping[str, str]) -> str:
    """Append a print-only section holding a copy of every solution on the page.

    The copies lose their ids (the originals keep theirs) and their ``dropdown`` class (so the
    page's toggle script leaves them open); the screen never shows them (``reader.css``).
    """
    copies, at = [], 0
    for match in _SOLUTION.finditer(body):
        if match.start() < at:
            continue
        at = element_end(body, match.start())
        copy = body[match.start():at]
        copy = re.sub(r'\s(id|aria-labelledby|aria-controls)="[^"]*"', "", copy)
        copy = copy.replace(" dropdown", "", 1).replace(
            'class="solution', 'class="reader-print-solution solution', 1)
        copies.append(copy)
    if not copies:
        return body
    heading = html.escape(words["answers"], quote=False)
    return (body + f'\n<section class="reader-print-solutions">'
            f'<h2>{heading}</h2>\n' + "\n".join(copies) + "</section>\n")


#: Units that follow a number in the book's prose and tables, in both editions.
UNITS = ("ms", "s", "µs", "min", "h", "KB", "kB", "KiB", "MB", "MiB", "GB", "GiB", "TB", "GB-s",
         "GB-seconds", "vCPU", "vCPUs", "req/s", "rps", "RPS", "USD", "%", "x", "×",
         "초", "밀리초", "분", "시간", "일", "개월", "달러", "원", "건", "개", "번", "회", "대")
_NUMBER_UNIT = re.compile(
    r"(?<![\w.])(\$?\d[\d,]*(?:\.\d+)?(?:[만억])?) (?=(?:"
    + "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True)) + r")(?![\w-]))")
_KEEP_AS_IS = re.compile(r"<(pre|code|script|style|textarea|kbd|samp)\b|"
                         r'<(span|div)\b[^>]*class="[^"]*\bmath\b', re.IGNORECASE)


def numbers_with_units(body: str) -> str:
    """A no-break space between a number and its unit in text (not in code or mathematics)."""
    out, at = [], 0
    for match in _KEEP_AS_IS.finditer(body):
        if match.start() < at:
            continue
        out.append(_glue_units(body[at:match.start()]))
        at = element_end(body, match.start())
        out.append(body[match.start():at])
    out.append(_glue_units(body[at:]))
    return "".join(out)


def _glue_units(fragment: str) -> str:
    parts = re.split(r"(<[^>]*>)", fragment)  # text between tags only, never inside a tag
    return "".join(p if p.startswith("<") else _NUMBER_UNIT.sub("\\1\u00a0", p) for p in parts)


_SUMMARY_LABEL = re.compile(r'<summary aria-label="[^"]*">')


def toggles_named_by_their_text(body: str) -> str:
    """A code cell's show/hide toggle (``<summary aria-label="Toggle hidden content">``) is
    named by the words it shows ("Show code cell source"), as WCAG's label-in-name asks; in
    any edition (another edition may have translated the label before this runs)."""
    return _SUMMARY_LABEL.sub("<summary>", body)


_THEAD = re.compile(r"(<table[^>]*class=\"dataframe[^\"]*\"[^>]*>\s*<thead>)(.*?)(</thead>)",
                    re.DOTALL)
_ROW = re.compile(r"<tr\b[^>]*>.*?</tr>", re.DOTALL)
_CELL = re.compile(r"<th\b[^>]*>(.*?)</th>", re.DOTALL)


def index_names_in_header(body: str) -> str:
    """A pandas table whose index has a name gets a second header row holding only that name
    (and empty cells): the name moves into the first header row's empty corner, and the row
    goes."""
    def merge(match: re.Match) -> str:
        rows = _ROW.findall(match.group(2))
        if len(rows) != 2:
            return match.group(0)
        first, second = (_CELL.findall(r) for r in rows)
        named = len([c for c in second if c.strip()])
        if not named or any(c.strip() for c in second[named:]) or len(first) != len(second) \
                or any(c.strip() for c in first[:named]):
            return match.group(0)
        cells = iter(second[:named])
        merged = re.sub(r"<th\b([^>]*)>\s*</th>",
                        lambda m: f"<th{m.group(1)}>{next(cells)}</th>", rows[0], count=named)
        return match.group(1) + "\n    " + merged + "\n  " + match.group(3)

    return _THEAD.sub(merge, body)


def rewrite_body(body: str, words: Mapping[str, str]) -> str:
    """Every rewrite of this module, in order."""
    body = index_names_in_header(body)
    body = toggles_named_by_their_text(body)
    body = numbers_with_units(body)
    body = scrolling_tables(body, words)
    body = figures_open_full_size(body, words)
    body = bibliography_roles(body)
    return solutions_at_the_end(body, words)
