"""Deriving the figure of any span of months from the spans an enterprise has reported.

Staff load monthly sheets, quarterly sheets and year-to-date bureau reports side by side; a
figure asked for (1-9月, 三季度, 5月) is taken as reported when it was, else summed from stored
spans that partition it, else taken as the difference of two year-to-date figures.

A new enterprise (新投产: no figures last year) counts from the month it opened: the months
before it are 0 in any span that reaches that month, and a span that ends before it has no
figure (the enterprise did not exist yet).
"""
from __future__ import annotations

from dataclasses import dataclass

Span = tuple[int, int]  # (first month, last month)


@dataclass(frozen=True)
class Derived:
    value: float  # 万元
    prior: float | None  # the sheets' own 上年同期 for the same span, when every part carried one
    parts: tuple[Span, ...]  # the stored spans used
    how: str  # "reported", "sum" or "difference"


def derive_span(spans: dict[Span, tuple[float, float | None]], first: int, last: int,
                opened: int = 1) -> Derived | None:
    """The value of months first..last from `spans` ({(a, b): (value, prior)}); None if not derivable.

    A sum uses the fewest stored spans; a difference is (1..last) − (1..first-1). `opened` is the
    month a new enterprise opened (1 for every other): months before it count 0, so the span is
    derived as opened..last; None when the span ends before it.
    """
    if first < opened:
        if last < opened:
            return None
        first = opened
    return _derive(spans, first, last)


def _derive(spans, first: int, last: int) -> Derived | None:
    if (first, last) in spans:
        value, prior = spans[(first, last)]
        return Derived(value, prior, ((first, last),), "reported")
    summed = _partition(spans, first, last)
    if summed is not None:
        return summed
    if first > 1:
        whole = _derive(spans, 1, last)
        head = _derive(spans, 1, first - 1)
        if whole is not None and head is not None:
            prior = None if whole.prior is None or head.prior is None else whole.prior - head.prior
            return Derived(whole.value - head.value, prior, whole.parts + head.parts, "difference")
    return None


def _partition(spans, first, last) -> Derived | None:
    inside = [(a, b) for a, b in spans if first <= a <= b <= last]
    if len(inside) == last - first + 1 and all(a == b for a, b in inside):
        # Every month of the span on its own, and nothing else inside it (monthly reports, the usual
        # case): the only partition there is, without the search.
        parts = tuple(sorted(inside))
        priors = [spans[p][1] for p in parts]
        return Derived(sum(spans[p][0] for p in parts), None if any(p is None for p in priors) else sum(priors),
                       parts, "sum")
    by_end: dict[int, list[Span]] = {}
    for a, b in inside:
        by_end.setdefault(b, []).append((a, b))
    # best[k]: the fewest spans covering first..k exactly
    best: dict[int, tuple[Span, ...]] = {first - 1: ()}
    for k in range(first, last + 1):
        options = [best[a - 1] + ((a, b),) for a, b in by_end.get(k, ()) if a - 1 in best]
        if options:
            best[k] = min(options, key=len)
    if last not in best:
        return None
    parts = best[last]
    value = sum(spans[p][0] for p in parts)
    priors = [spans[p][1] for p in parts]
    prior = None if any(p is None for p in priors) else sum(priors)
    return Derived(value, prior, parts, "sum")


def find_disagreement(spans: dict[Span, tuple[float, float | None]], agree,
                      check_first: frozenset[Span] = frozenset()) -> tuple[Span, Derived] | None:
    """A span whose figure differs from the one derived from the other spans, if any.

    `agree(a, b)` says whether two figures count as equal (rounding). Spans in `check_first`
    (those a new file brings) are checked before the others, so the report names them.
    """
    for span in sorted(spans, key=lambda s: (s not in check_first, -(s[1] - s[0]), s)):
        others = {s: v for s, v in spans.items() if s != span}
        derived = derive_span(others, *span)
        if derived is not None and not agree(spans[span][0], derived.value):
            return span, derived
    return None
