"""Korean search that finds what a reader types.

Sphinx has no Korean search language: it indexes words with their particles attached
(``패치를``), so ``패치`` finds nothing. :class:`SearchKorean` indexes every run of Hangul as its
two-syllable pieces (character bigrams) and splits the query the same way, so a word matches
wherever it stands inside a longer one.
"""

from __future__ import annotations

import re

from sphinx.search import SearchLanguage

_HANGUL = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"
# a run of Hangul, or a run of other letters and digits: a Latin word written against its
# Korean particle ("Lambda의") is two tokens, so that a search for the word finds it
_TOKEN = re.compile(rf"[{_HANGUL}]+|[^\W{_HANGUL}]+", re.UNICODE)
_HANGUL_RUN = re.compile(rf"^[{_HANGUL}]+$")


def korean_tokens(text: str) -> list[str]:
    """Words as Sphinx indexes them: Latin words whole, Hangul runs as their bigrams."""
    tokens: list[str] = []
    for word in _TOKEN.findall(text):
        if _HANGUL_RUN.match(word) and len(word) > 2:
            tokens.extend(word[i:i + 2] for i in range(len(word) - 1))
        else:
            tokens.append(word)
    return tokens


class SearchKorean(SearchLanguage):
    """Korean search as character bigrams of Hangul (an n-gram index); Latin words as English."""

    lang = "ko"
    language_name = "Korean"
    js_stemmer_rawcode = ""
    js_stemmer_code = """
function Stemmer() {
  this.stemWord = function (word) { return word.toLowerCase(); };
}
"""
    # the query is split exactly as the pages were indexed (see korean_tokens)
    js_splitter_code = r"""
function splitQuery(query) {
  const tokens = [];
  const words = query.match(
    /[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]+|(?:(?![\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f])[\p{L}\p{N}_])+/gu
  ) || [];
  for (const word of words) {
    if (/^[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]+$/.test(word) && word.length > 2) {
      for (let i = 0; i < word.length - 1; i++) tokens.push(word.slice(i, i + 2));
    } else {
      tokens.push(word);
    }
  }
  return tokens;
}
"""

    def split(self, input: str) -> list[str]:  # noqa: A002 - Sphinx's name
        return korean_tokens(input)

    def word_filter(self, word: str) -> bool:
        return len(word) > 1 or bool(_HANGUL_RUN.match(word))

    def stem(self, word: str) -> str:
        return word.lower()
