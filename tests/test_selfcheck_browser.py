"""The self-checks in a real Chromium: every one on every chapter and lab page of both editions,
answered both ways.

For each page: between three and six self-checks; each answered wrong, then right, through its
real form controls, with ``data-answered`` and the feedback for that answer checked each time
(one feedback shown, the others hidden, a verdict in the live region). The first check of each
page is answered wrong with the mouse (a click on an option's label, or a number typed, then a
click on the button) and right with the keyboard alone (Space and the arrow keys within the radio
group, Tab to the button, Enter; or a number typed and Enter); the others in one call into the
page, through the same controls (a click on the option, the form submitted by its button). One
check is then cleared with its button, which forgets it: its ``localStorage`` key is gone. On
the first page of each edition the page is reloaded: every other answer comes back from
``localStorage``, and the cleared one stays unanswered. One page per edition is also drawn on a
360 px phone in dark mode, where no check may be wider than the screen and its text keeps its
contrast, and one is printed: the questions show, and their answers follow the chapter.

The testing contract is the one the directive writes (``_ext/selfcheck``): ``data-selfcheck="ID"``
on the element, ``data-kind``, ``data-correct`` or ``data-answer``/``data-tolerance``.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urljoin

import pytest

from tests import site_check

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
#: Every chapter and lab, found when the tests are collected (a new lab is covered at once).
PAGES = tuple(p.relative_to(ROOT).with_suffix("").as_posix()
              for folder in ("chapters", "labs") for p in sorted((ROOT / folder).glob("*.ipynb")))
EDITIONS = ("", "ko/")
PREFIX = "ec2vslambda-selfcheck:"

READ = """() => [...document.querySelectorAll('[data-selfcheck]')].map(box => ({
  id: box.dataset.selfcheck, kind: box.dataset.kind, correct: box.dataset.correct,
  options: [...box.querySelectorAll('input[type=radio]')].map(r => r.value),
  answer: Number(box.dataset.answer), tolerance: Number(box.dataset.tolerance),
  relative: box.dataset.toleranceKind === 'relative', answered: box.dataset.answered || null,
  feedback: [...box.querySelectorAll('.selfcheck-feedback')].filter(f => !f.hidden)
    .map(f => f.dataset.feedback),
  verdict: box.querySelector('.selfcheck-verdict').textContent.trim(),
  live: box.querySelector('.selfcheck-result').getAttribute('aria-live')}))"""


#: Answer checks in the page itself, each through its own controls as a reader's click would:
#: ``click()`` on the option (or the number typed into the input, with its ``input`` event), then
#: the form submitted as its button does (``requestSubmit``). One call answers a page's checks,
#: each wrong then right, and returns what each check showed after each answer.
ANSWER_IN_PAGE = """(given) => {
  const seen = {};
  for (const [id, pair] of Object.entries(given)) {
    const box = document.querySelector(`[data-selfcheck="${id}"]`);
    seen[id] = pair.map((answer) => {
      if (box.dataset.kind === 'choice') {
        box.querySelector(`input[type=radio][value="${answer}"]`).click();
      } else {
        const input = box.querySelector('input[type=number]');
        input.value = answer;
        input.dispatchEvent(new Event('input', {bubbles: true}));
      }
      box.querySelector('form').requestSubmit(box.querySelector('button[type=submit]'));
      return {answered: box.dataset.answered || null,
              feedback: [...box.querySelectorAll('.selfcheck-feedback')].filter(f => !f.hidden)
                .map(f => f.dataset.feedback),
              verdict: box.querySelector('.selfcheck-verdict').textContent.trim()};
    });
  }
  return seen;
}"""


def boxes(page) -> list[dict]:
    return page.evaluate(READ)


def state(page, ident: str) -> dict:
    return next(b for b in boxes(page) if b["id"] == ident)


def answers(check: dict) -> tuple[str, str]:
    """(a wrong answer, the right one), as a reader would give them."""
    if check["kind"] == "choice":
        wrong = next(o for o in check["options"] if o != check["correct"])
        return wrong, check["correct"]
    margin = check["tolerance"] * (abs(check["answer"]) if check["relative"] else 1)
    return f"{check['answer'] + 2 * margin + 1:g}", f"{check['answer']:g}"


def give(page, check: dict, answer: str, *, mouse: bool = False) -> None:
    """Answer through the check's own controls: with the mouse (a click on the option's label,
    then on the button), or with the keyboard (Space on the option, Enter on the button)."""
    box = page.locator(f'[data-selfcheck="{check["id"]}"]')
    if check["kind"] == "choice":
        if mouse:
            box.locator(f'label[for="selfcheck-{check["id"]}-{answer}"]').click()
        else:
            box.locator(f'#selfcheck-{check["id"]}-{answer}').focus()
            page.keyboard.press("Space")
    else:
        box.locator("input[type=number]").fill(answer)
    if mouse:
        box.locator("button[type=submit]").click()
    else:
        box.locator("button[type=submit]").focus()
        page.keyboard.press("Enter")


def expect(page, check: dict, answered: str, feedback: str) -> None:
    now = state(page, check["id"])
    assert now["answered"] == answered, (check["id"], now)
    assert now["feedback"] == [feedback], (check["id"], now)
    assert now["verdict"] and now["live"] == "polite", (check["id"], now)


def feedback_for(check: dict, answer: str) -> str:
    if check["kind"] == "choice":
        return answer
    return "right" if answer == f"{check['answer']:g}" else "high"


def by_keyboard(page, check: dict) -> None:
    """Answer the check with the keyboard alone, the right way."""
    box = page.locator(f'[data-selfcheck="{check["id"]}"]')
    if check["kind"] == "choice":
        box.locator("input[type=radio]").first.focus()
        page.keyboard.press("Space")  # the first option, then arrows down to the right one
        for _ in range(int(check["correct"]) - 1):
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Tab")  # a radio group is one tab stop: the next is the button
        assert page.evaluate("document.activeElement.type") == "submit"
        page.keyboard.press("Enter")
    else:
        box.locator("input[type=number]").focus()
        page.keyboard.press("Control+A")  # over the wrong answer typed before
        page.keyboard.type(f"{check['answer']:g}")
        page.keyboard.press("Enter")  # a form with one field submits on Enter
    expect(page, check, "correct", feedback_for(check, answers(check)[1]))


def contrast(first: str, second: str) -> float:
    """WCAG's contrast ratio of two CSS colours given as ``rgb(...)``/``rgba(...)``."""
    def luminance(colour: str) -> float:
        parts = [float(p) for p in colour[colour.index("(") + 1:-1].split(",")[:3]]
        linear = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4
                  for c in parts]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture(scope="module")
def edition_pages(browser, site_url):
    contexts = {}

    def page_for(edition: str):
        if edition not in contexts:
            context = browser.new_context(viewport={"width": 1280, "height": 800},
                                          reduced_motion="reduce")
            contexts[edition] = (context, context.new_page())
        return contexts[edition][1]

    yield page_for
    for context, _page in contexts.values():
        context.close()


@pytest.mark.parametrize("edition", EDITIONS, ids=["en", "ko"])
def test_every_self_check_answers_both_ways_by_mouse_and_keyboard_and_remembers(
        edition_pages, site_url, edition):
    page = edition_pages(edition)
    start, counts = time.perf_counter(), {}
    for docname in PAGES:
        url = urljoin(site_url, edition + site_check.html_name(docname))
        page.goto(url, wait_until="domcontentloaded")
        page.evaluate("localStorage.clear()")
        checks = boxes(page)
        counts[docname] = len(checks)
        assert 3 <= len(checks) <= 6, f"{edition}{docname} has {len(checks)} self-checks"
        assert all(c["answered"] is None and c["feedback"] == [] for c in checks)
        first, rest = checks[0], checks[1:]
        wrong, right = answers(first)
        give(page, first, wrong, mouse=True)
        expect(page, first, "wrong", feedback_for(first, wrong))
        by_keyboard(page, first)
        given = {c["id"]: answers(c) for c in rest}
        seen = page.evaluate(ANSWER_IN_PAGE, given)
        for check in rest:
            for answer, verdict, shown in zip(given[check["id"]], ("wrong", "correct"),
                                              seen[check["id"]], strict=True):
                assert shown["answered"] == verdict, (check["id"], shown)
                assert shown["feedback"] == [feedback_for(check, answer)], (check["id"], shown)
                assert shown["verdict"], (check["id"], shown)
        cleared = checks[-1]["id"]
        key = f"{PREFIX}{page.evaluate('location.pathname')}#{cleared}"
        assert page.evaluate(f"localStorage.getItem({key!r}) !== null")
        page.locator(f'[data-selfcheck="{cleared}"] .selfcheck-clear').click()
        now = state(page, cleared)
        assert now["answered"] is None and now["feedback"] == [] and not now["verdict"]
        assert page.evaluate(f"localStorage.getItem({key!r})") is None
        if docname == PAGES[0]:  # a reload brings back every answer but the one cleared
            page.reload(wait_until="domcontentloaded")
            after = {b["id"]: b["answered"] for b in boxes(page)}
            assert after.pop(cleared) is None and set(after.values()) == {"correct"}, docname
    print(f"\n{edition or 'en/'}: self-checks per page {counts}, "
          f"{sum(counts.values())} in {time.perf_counter() - start:.1f} s")


@pytest.mark.parametrize("edition", EDITIONS, ids=["en", "ko"])
def test_a_self_check_fits_a_phone_in_dark_mode(browser, site_url, edition):
    context = browser.new_context(viewport={"width": 360, "height": 740}, color_scheme="dark")
    try:
        page = context.new_page()
        page.goto(urljoin(site_url, edition + site_check.html_name("chapters/05_pricing")),
                  wait_until="domcontentloaded")
        page.evaluate("document.documentElement.dataset.theme = 'dark'")
        widths = page.evaluate("""() => [...document.querySelectorAll('[data-selfcheck]')]
          .map(b => [b.getBoundingClientRect().right, b.scrollWidth - b.clientWidth])""")
        assert widths and all(right <= 360 and overflow <= 0 for right, overflow in widths), widths
        text, ground = page.evaluate("""() => {
          const s = getComputedStyle(document.querySelector('[data-selfcheck]'));
          return [s.color, s.backgroundColor]; }""")
        assert contrast(text, ground) >= 4.5, (text, ground)
        box = page.locator("[data-selfcheck]").first
        box.locator("input").first.click()
        box.locator("button[type=submit]").click()
        assert box.get_attribute("data-answered") in ("correct", "wrong")
    finally:
        context.close()


@pytest.mark.parametrize("edition", EDITIONS, ids=["en", "ko"])
def test_paper_shows_the_questions_and_their_answers_after_the_chapter(browser, site_url, edition):
    context = browser.new_context(viewport={"width": 900, "height": 1200})
    try:
        page = context.new_page()
        page.goto(urljoin(site_url, edition + site_check.html_name("chapters/03_how_they_work")),
                  wait_until="domcontentloaded")
        assert page.locator(".selfcheck-answers").is_hidden()  # on screen, the answers wait
        page.emulate_media(media="print")
        checks = page.locator("[data-selfcheck]")
        assert checks.count() >= 3
        for n in range(checks.count()):
            box = checks.nth(n)
            assert box.locator(".selfcheck-question").is_visible()
            assert box.locator(".selfcheck-options").is_visible()
            assert box.locator(".selfcheck-actions").is_hidden()
            assert box.locator(".selfcheck-result").is_hidden()
        answers = page.locator(".selfcheck-answers")
        assert answers.is_visible()
        assert answers.locator(".selfcheck-answer").count() == checks.count()
        ids = [checks.nth(n).get_attribute("data-selfcheck") for n in range(checks.count())]
        assert [a.get_attribute("data-answers") for a in
                answers.locator(".selfcheck-answer").all()] == ids
        assert page.evaluate("""() => { const a = document.querySelector('.selfcheck-answers');
          return [...document.querySelectorAll('[data-selfcheck]')].every(b =>
            b.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING); }""")
    finally:
        context.close()
