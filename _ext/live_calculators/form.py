"""The live calculator's HTML: a form of real controls, the button, the status line and the
result area, as the browser modules in ``static/live/`` expect them (``form.mjs`` reads the
controls by ``data-kind`` and ``name``; ``messages.mjs`` writes beside ``#ID-error``)."""

from __future__ import annotations

import html
import json
from collections.abc import Callable

from . import i18n

LIVE_DIR = "_live"  # in the built site: runtime, package bundle, worker
WORDS_FILE = "words.json"  # in an edition in another language: its results' catalogue


def _field_html(calculator: str, field: dict, value: object, uid: str,
                t: Callable[[str], str]) -> str:
    key = field["key"]
    ident = f"{uid}-{key}"
    label = html.escape(t(field["label"]))
    unit = t(field.get("unit") or "")
    unit_html = f' <span class="ec2vl-unit">({html.escape(unit)})</span>' if unit else ""
    error = (f'<span class="ec2vl-error" id="{ident}-error" role="alert" '
             'aria-live="assertive"></span>')
    described = f'aria-describedby="{ident}-error"'
    common = f'id="{ident}" name="{html.escape(key)}" data-kind="{field["kind"]}" {described}'
    hint = field.get("help")
    help_html = (f'<span class="ec2vl-help">{html.escape(t(hint))}</span>' if hint else "")
    if field["kind"] == "flag":
        checked = " checked" if value else ""
        return (f'<div class="ec2vl-field ec2vl-flag"><input type="checkbox" {common}{checked}>'
                f'<label for="{ident}">{label}</label>{help_html}{error}</div>')
    if field["kind"] == "file":
        return _file_html(field, value, ident, label, common, error, t)
    if field["kind"] == "choice":
        options = []
        for index, (option, shown) in enumerate(zip(field["options"], field["option_labels"],
                                                    strict=True)):
            selected = " selected" if option == value else ""
            options.append(f'<option value="{index}"{selected}>{html.escape(t(shown))}</option>')
        choices = html.escape(json.dumps(field["options"]), quote=True)
        control = f'<select {common} data-options="{choices}">{"".join(options)}</select>'
    else:
        step = field.get("step")
        attributes = [f'step="{step if step is not None else "any"}"']
        for name, attribute in (("minimum", "min"), ("maximum", "max")):
            if field.get(name) is not None and field["kind"] != "number":
                attributes.append(f'{attribute}="{field[name]}"')
        shown = int(value) if isinstance(value, float) and value.is_integer() else value
        control = (f'<input type="number" inputmode="decimal" {common} value="{shown}" '
                   f'{" ".join(attributes)}>')
    return (f'<div class="ec2vl-field"><label for="{ident}">{label}{unit_html}</label>'
            f'{control}{help_html}{error}</div>')


def _file_html(field: dict, value: object, ident: str, label: str, common: str, error: str,
               t: Callable[[str], str]) -> str:
    """A file field: the file input, a note that nothing is uploaded, and one button per sample
    (``form.mjs`` reads them). ``data-value`` holds the sample chosen ("" once the reader picks
    files); ``data-samples`` each sample's files, which the page fetches from the site's
    ``samples/`` folder the first time they are asked for."""
    from ec2vslambda.traffic import samples

    ui = {key: t(text) for key, text in i18n.UI["en"].items()}
    files = {name: list(samples.FILES[name]) for name in field["options"]}
    chosen = html.escape(value if isinstance(value, str) else "", quote=True)
    buttons = "".join(
        f'<button type="button" class="ec2vl-sample" data-sample="{html.escape(name)}">'
        f'{html.escape(t(shown))}</button>'
        for name, shown in zip(field["options"], field["option_labels"], strict=True))
    data = html.escape(json.dumps(files), quote=True)
    return (f'<div class="ec2vl-field ec2vl-file"><label for="{ident}">{label}</label>'
            f'<input type="file" multiple {common} data-value="{chosen}" '
            f'data-max-bytes="{field["max_bytes"]}" data-samples="{data}">'
            f'<span class="ec2vl-help">{html.escape(ui["file_note"])}</span>'
            f'<div class="ec2vl-samples"><span>{html.escape(ui["samples"])}</span> {buttons}'
            f'</div>{error}</div>')


def table_html(table: dict | None) -> str:
    """A result's table as the browser draws it (``drawTable`` in ``static/live/result.mjs``):
    a header row of column names, then one row per entry whose first cell heads the row."""
    if not table or not table["rows"]:
        return ""
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in table["columns"])
    rows = "".join(
        "<tr>" + "".join(f'<th scope="row">{html.escape(v)}</th>' if i == 0
                         else f"<td>{html.escape(v)}</td>" for i, v in enumerate(row)) + "</tr>"
        for row in table["rows"])
    return (f'<table class="ec2vl-result-table"><thead><tr>{head}</tr></thead>'
            f'<tbody>{rows}</tbody></table>')


def render_box(name: str, defaults: dict, uid: str, language: str,
               runtime_bytes: int = 0, assets: str = "") -> str:
    """The live calculator's HTML: a form of real controls, the button, status and result.
    ``runtime_bytes``: what the first click downloads, in bytes on the wire (the button's note
    says it)."""
    from ec2vslambda import live

    t = i18n.translator(language)
    spec = live.spec(name)
    values = live.calculator(name).inputs(defaults)
    fields = "".join(_field_html(name, f, values[f["key"]], uid, t) for f in spec["fields"])
    data = html.escape(json.dumps(values, sort_keys=True), quote=True)
    intro = f'<p class="ec2vl-intro">{html.escape(t(spec["intro"]))}</p>' if spec["intro"] else ""
    title = html.escape(t(spec["title"]))
    ui = i18n.ui(language)
    ui["note"] = ui["note"].format(mb=f"{runtime_bytes / 1e6:.1f}")
    ui_data = html.escape(json.dumps(ui, ensure_ascii=False), quote=True)
    return (
        f'<div class="ec2vl-live" data-calculator="{name}" data-defaults="{data}" '
        f'data-ui="{ui_data}" data-assets="{html.escape(assets)}{LIVE_DIR}/" id="{uid}" '
        + (f'data-words="{LIVE_DIR}/{WORDS_FILE}" ' if language != "en" else "") +
        f'lang="{language}">'
        f'<p class="ec2vl-title"><b>{title}</b> · {html.escape(ui["badge"])}</p>{intro}'
        f'<div class="ec2vl-start"><button type="button" class="ec2vl-go">'
        f'{html.escape(ui["button"])}</button> <span class="ec2vl-note">'
        f'{html.escape(ui["note"])}</span></div>'
        # the status line changes as often as there is news (bytes, seconds); a screen reader
        # hears it from .ec2vl-said, written once per stage, and a result from
        # .ec2vl-said-result, written once the inputs have settled (messages.mjs)
        f'<div class="ec2vl-status"></div>'
        f'<div class="ec2vl-said" role="status" aria-live="polite" aria-atomic="true"></div>'
        f'<progress class="ec2vl-progress" max="1" value="0" '
        f'aria-label="{html.escape(ui["fetching"])}" hidden></progress>'
        f'<form class="ec2vl-form" novalidate><fieldset disabled>'
        f'<legend class="ec2vl-legend">{html.escape(ui["legend"])}</legend>{fields}'
        f'</fieldset></form>'
        f'<div class="ec2vl-output"><p class="ec2vl-summary">'
        f'{html.escape(ui["before"])}</p><div class="ec2vl-table"></div>'
        f'<div class="ec2vl-chart" hidden><canvas role="img" aria-label="{title}"></canvas>'
        f'</div></div>'
        f'<div class="ec2vl-said-result" aria-live="polite" aria-atomic="true"></div></div>')
