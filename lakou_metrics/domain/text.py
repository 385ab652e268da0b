"""Text as a person reads it: without what cannot be seen, and in one width. The standard library
alone, so the process that parses files (ingest/read_child.py) and its forks hold no pandas."""
from __future__ import annotations

import re
import unicodedata

# Characters a person cannot see: zero-width spaces and joiners, direction marks, the BOM, soft
# hyphens, tags (Unicode category Cf) and control characters; and the printable blanks that look
# like nothing (Hangul fillers U+115F, U+1160, U+3164, U+FFA0, the combining grapheme joiner,
# variation selectors, Khmer inherent vowels). Copy-paste from chat or web brings them.
_INVISIBLE = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u034f\u061c"
                        "\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
                        "\u2066-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\U000e0000-\U000e007f]")


def strip_invisible(text: str) -> str:
    """Text without the characters a person cannot see (zero-width, direction marks, BOM …)."""
    return _INVISIBLE.sub("", text)


def normalise_text(value) -> str:
    """NFKC (full-width → half-width), nothing invisible, no whitespace at all."""
    return re.sub(r"\s+", "", strip_invisible(unicodedata.normalize("NFKC", str(value))))
