"""The notebook front ends of ec2vslambda.live: the static result and the ipywidgets form."""

import html
import json

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from ec2vslambda import live  # noqa: E402
from ec2vslambda.widgets import calculator, common, show  # noqa: E402


@pytest.mark.parametrize("name", live.names())
def test_widget_starts_from_the_defaults_and_names_its_controls_by_key(name):
    calc = calculator(name)
    assert set(calc.controls_by_key) == set(live.calculator(name).keys)
    calc.refresh()
    assert calc.last_result == live.compute(name)
    assert html.escape(calc.last_result["summary"]) in calc.message.value


@pytest.mark.parametrize("name", live.names())
def test_static_site_form_is_a_placeholder_with_the_inputs(name):
    bundle = calculator(name)._repr_mimebundle_()
    assert f'data-calculator="{name}"' in bundle["text/html"]
    assert bundle["text/plain"].startswith("[Live calculator:")
    assert "application/vnd.jupyter.widget-view+json" in bundle  # Jupyter draws the widget


def test_a_change_recomputes_and_a_bad_value_is_shown_next_to_its_control():
    calc = calculator("thumbnail_cost")
    calc.controls_by_key["uploads_per_month"].value = 20_000_000
    assert "20,000,000 uploads a month" in calc.message.value
    good = calc.last_result
    assert len(calc.output.outputs) == 2  # the table and the chart
    calc.controls_by_key["memory_mb"].value = 50
    note = calc.notes_by_key["memory_mb"].value
    assert "memory_mb=50 is out of range" in note and "Traceback" not in note
    assert "last good inputs" in calc.message.value
    assert calc.last_result == good and len(calc.output.outputs) == 2  # the last good result
    calc.controls_by_key["memory_mb"].value = 512
    assert calc.notes_by_key["memory_mb"].value == ""


def test_choice_controls_offer_the_fields_options_with_their_labels():
    calc = calculator("fit_checker")
    dropdown = calc.controls_by_key["invocation"]
    assert [value for _label, value in dropdown.options] == ["sync", "async"]
    assert dropdown.value == "async"


def test_show_displays_table_summary_and_figure(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda item: shown.append(item))
    result = show("tail_latency", cold_percent=5)
    assert result == live.compute("tail_latency", {"cold_percent": 5})
    assert list(shown[0].index) == ["p50", "p95", "p99"]
    assert result["summary"] in shown[1].data
    drawing = shown[2]  # stored with its data, so the book draws it in each edition's language
    assert drawing.name == "chart"
    assert drawing.data == {"calculator": "tail_latency",
                            "inputs": live.calculator("tail_latency").inputs({"cold_percent": 5})}
    figure = drawing.figure()
    assert isinstance(figure, Figure)
    assert figure.axes[0].get_title() == result["chart"]["title"]


def test_chart_figure_draws_every_series_and_marker():
    chart = live.compute("tail_latency")["chart"]
    figure = common.chart_figure(chart)
    axes = figure.axes[0]
    assert axes.get_xscale() == "log"
    labels = [line.get_label() for line in axes.get_lines()]
    assert labels[:3] == ["p50", "p95", "p99"] and len(labels) == 3 + len(chart["vlines"])


def test_unknown_input_to_a_widget_is_refused():
    with pytest.raises(ValueError, match="inputs='bogus' is not an input"):
        calculator("pricing" if "pricing" in live.names() else "fit_checker", bogus=1)


def test_placeholder_round_trips_its_inputs():
    placeholder = live.placeholder_html("fit_checker", {"memory_mb": 2048})
    import re

    data = re.search(r'data-defaults="([^"]*)"', placeholder).group(1)
    assert json.loads(html.unescape(data))["memory_mb"] == 2048
