"""Plan the certificates of completion: one page per participant, every word final.

The pages differ only in the name, so the plan holds the page once and the list of names; a
renderer lays out ten thousand pages from it in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ccrl_kit.plan.blocks import Brand
from ccrl_kit.resolve import types as r
from ccrl_kit.resolve.labels import Labels

TITLE_LINE_CHARS = 46  # characters of the course title that fit one line of the page
NAME_PT = 28.0  # a name's type size, when it fits
NAME_LINE_CHARS = 29  # characters of a name that fit the name's line at NAME_PT
NAME_MIN_PT = 14.0


@dataclass(frozen=True)
class Signatory:
    name: str  # "" leaves a line to write the name on
    title: str


@dataclass(frozen=True)
class CertificatePlan:
    language: str
    title: str  # the PDF's title
    paper: str
    heading: str  # "Certificate of completion"
    certifies: str
    completed: str
    course_lines: tuple[str, ...]  # the course title, broken into balanced lines
    details: str  # hours, dates
    issuer: str
    signatories: tuple[Signatory, ...]
    signature_label: str
    name_title_label: str  # under a blank signatory line
    date_place: str
    date_place_label: str
    names: tuple[str, ...]  # one page each; ("",) for one page to fill in by hand
    name_pt: tuple[float, ...] = ()  # each name's type size: a long name is set smaller
    brand: Brand = field(default_factory=Brand)
    kind: str = "certificates"


def plan_certificates(course: r.Course, names: tuple[str, ...], labels: Labels, *,
                      paper: str = "a4", brand: Brand | None = None) -> CertificatePlan:
    place = ", ".join(x for x in (course.venue, course.city) if x)
    last = max(course.dates) if course.dates else None
    date_place = ""
    if last and place:
        date_place = labels.format("date_place", place=place, date=labels.date(last))
    elif last or place:
        date_place = labels.date(last) if last else place
    signatories = tuple(Signatory(name, labels["facilitator"])
                        for name in course.facilitators[:3]) or (Signatory("", ""),)
    return CertificatePlan(
        language=course.language,
        title=f"{labels['certificate']} — {course.title}",
        paper=paper,
        heading=labels["certificate"],
        certifies=labels["certificate_certifies"],
        completed=labels["certificate_completed"],
        course_lines=balanced_lines(course.title, TITLE_LINE_CHARS),
        details=" · ".join(x for x in (
            labels.format("certificate_hours", hours=labels.hours(course.minutes / 60)),
            labels.date_range(course.dates)) if x),
        issuer=labels.format("certificate_issuer", organiser=course.organiser)
        if course.organiser else "",
        signatories=signatories,
        signature_label=labels["certificate_signature"],
        name_title_label=labels["certificate_name_title"],
        date_place=date_place,
        date_place_label=labels["certificate_date_place"],
        names=names or ("",),
        name_pt=tuple(name_size(name) for name in names or ("",)),
        brand=brand or Brand(),
    )


def name_size(name: str) -> float:
    """The type size that keeps ``name`` on its one line (estimated from its length, on the
    safe side: a wide Cyrillic letter is 0.58 of the size)."""
    if len(name) <= NAME_LINE_CHARS:
        return NAME_PT
    return max(NAME_MIN_PT, round(NAME_PT * NAME_LINE_CHARS / len(name), 1))


def balanced_lines(text: str, limit: int) -> tuple[str, ...]:
    """``text`` in as few lines of at most ``limit`` characters as it needs, the lines as even
    as possible, and never one word alone on a line when the text has more than one."""
    words = text.split()
    if len(words) < 2 or len(text) <= limit:
        return (text,)
    lines = min(-(-len(text) // limit), len(words) // 2)
    best: tuple[int, tuple[str, ...]] | None = None
    for count in range(max(lines, 2), len(words) // 2 + 1):
        found = _split(words, count)
        if found and (best is None or found[0] < best[0]):
            best = found
        if best and best[0] <= limit:
            break
    return best[1] if best else (text,)


def _split(words: list[str], count: int) -> tuple[int, tuple[str, ...]] | None:
    """The split of ``words`` into ``count`` lines of two words or more whose longest line is
    shortest (ties: the one whose lines differ least)."""
    n = len(words)
    length = [[0] * (n + 1) for _ in range(n + 1)]
    for i in range(n):
        for j in range(i + 1, n + 1):
            length[i][j] = len(" ".join(words[i:j]))
    Found = tuple[int, int, tuple[int, ...]]  # longest line, sum of squares, line ends
    cache: dict[tuple[int, int], Found | None] = {}

    def best(start: int, left: int) -> Found | None:
        if (start, left) in cache:
            return cache[(start, left)]
        result: Found | None = None
        if left == 1:
            if n - start >= 2:
                w = length[start][n]
                result = (w, w * w, (n,))
        else:
            for end in range(start + 2, n - 2 * (left - 1) + 1):
                rest = best(end, left - 1)
                if rest is None:
                    continue
                w = length[start][end]
                option = (max(w, rest[0]), w * w + rest[1], (end, *rest[2]))
                if result is None or option[:2] < result[:2]:
                    result = option
        cache[(start, left)] = result
        return result

    found = best(0, count)
    if found is None:
        return None
    ends, start, lines = found[2], 0, []
    for end in ends:
        lines.append(" ".join(words[start:end]))
        start = end
    return found[0], tuple(lines)
