"""Citations formatted with one pybtex style instance per style, which keeps the translated
build as fast as the English one."""

from __future__ import annotations


def reuse_citation_styles() -> None:
    """Build one pybtex formatting style per name, not one per citation.

    sphinxcontrib-bibtex's ``footcite`` role looks up and instantiates its pybtex style on every
    use (about 90 ms each here), and a translated edition parses every cited paragraph twice:
    that alone made the Korean build four times as slow as the English one. A style holds no
    state between entries, so one instance serves every citation.
    """
    from functools import cache

    try:
        from sphinxcontrib.bibtex import foot_roles
    except ImportError:  # pragma: no cover - sphinxcontrib-bibtex is pinned
        return
    if getattr(foot_roles, "_ec2vl_cached", False):
        return
    lookup = foot_roles.find_plugin

    @cache
    def style(group: str, name: str):
        return lookup(group, name)()

    foot_roles.find_plugin = lambda group, name: (lambda: style(group, name))
    foot_roles._ec2vl_cached = True
