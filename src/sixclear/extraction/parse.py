"""From a resolution's or program's text to proposed structure, by rules.

The text is read line by line. The header gives the document's kind, number, date, issuer,
title and period; headings ("II. MỤC TIÊU, CHỈ TIÊU", "3. Các khâu đột phá") open sections; in
a section of viewpoints or breakthroughs each numbered line is an item; in a section of tasks
each numbered line opens a task group and each bullet under it is a task; in a section of
targets each clause with a figure is a target, parsed with the language's number and unit
grammar (`numbers`, `lexicon`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from . import lexicon as lx
from .lexicon import LEXICONS, Lexicon
from .numbers import NUMBER_RE, ascii_digits, parse_number, plain

FIRST_YEAR, LAST_YEAR = 1945, 2100
DASHES = "-–—‒−"
ROMAN = re.compile(r"^(?:[IVXLC]+)[.)]\s+")
LETTER = re.compile(r"^[A-ZĐ][.)]\s+")
NUMBERED = re.compile(r"^(?:\(?\d{1,2}\)|\d{1,2}[.)])\s*(?!\d)")
SUBNUMBERED = re.compile(r"^\d{1,2}\.\d{1,2}\.?\s+")
LETTERED = re.compile(r"^[a-zđ]\)\s+")
BULLET = re.compile(r"^[-+•*–·▪●]\s*")
LIST_MARKER = re.compile(
    r"^(?:[-+•*–·▪●]\s*|\(?\d{1,2}\)\s*|\d{1,2}\.(?:\d{1,2}\.?)?\s+|[a-zđ]\)\s+)")
INLINE_ITEMS = re.compile(r"\((\d{1,2})\)\s*")
ARABIC_LETTERS = re.compile(r"[\u0600-\u06ff]")
VIETNAMESE_LETTERS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")
MAX_TITLE = 300
# Words after a figure that are not what it counts.
FUNCTION_WORDS = {
    "vi": {"trở", "trên", "vào", "đến", "trong", "năm", "so", "và", "của", "mỗi", "với", "tại",
           "theo", "trước", "sau", "cho", "là", "được", "đạt", "lên", "xuống", "còn", "từ",
           "giai", "nhiệm", "hằng", "hàng", "bình", "trung", "tăng", "giảm", "người", "lần",
           "cả", "toàn", "thì", "hoặc", "khoảng", "như", "có"},
    "en": {"by", "in", "of", "over", "during", "per", "a", "an", "the", "to", "from", "and",
           "every", "each", "or", "more", "less", "at", "for", "than", "on", "with", "year",
           "years", "annually", "within", "before", "until", "is", "are", "be"},
    "ar": {"على", "في", "من", "إلى", "خلال", "بحلول", "عند", "سنويًا", "سنوياً", "كل", "أو",
           "و", "عام", "حتى", "قبل", "بعد", "مع"},
}


@dataclass
class Target:
    code: str
    sentence: str
    line: int
    span: list[int]
    clause: str
    indicator: str
    unit: str
    kind: str
    direction: str
    baseline_value: str | None
    baseline_year: int | None
    target_value: str | None
    annual_rate: str | None
    annual_rate_high: str | None
    target_year: int | None
    section: int | None
    inferred: list[str] = field(default_factory=list)


@dataclass
class Section:
    kind: str
    title: str
    line: int
    code: str = ""  # its marker: "A", "II", or "" for a heading without one


@dataclass
class Item:
    kind: str  # viewpoint | breakthrough | task_group (plans.models.ResolutionItemKind)
    title: str
    text: str
    line: int
    section: int


@dataclass
class Task:
    title: str
    line: int
    group: int | None  # index into items
    lead_unit: str | None = None
    deadline: str | None = None
    result: str | None = None
    section: int | None = None  # index into sections


@dataclass
class Program:
    title: str
    number: str | None
    line: int


@dataclass
class Proposal:
    language: str
    document: dict[str, Any]
    sections: list[Section]
    items: list[Item]
    targets: list[Target]
    tasks: list[Task]
    programs: list[Program]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


ITEM_KIND = {lx.VIEWPOINTS: "viewpoint", lx.BREAKTHROUGHS: "breakthrough", lx.TASKS: "task_group"}


def detect_language(text: str) -> str:
    sample = text[:4000]
    letters = sum(ch.isalpha() for ch in sample) or 1
    if len(ARABIC_LETTERS.findall(sample)) / letters > 0.3:
        return "ar"
    if len(VIETNAMESE_LETTERS.findall(sample.lower())) / letters > 0.02:
        return "vi"
    return "en"


def extract(text: str, language: str | None = None) -> Proposal:
    text = unicodedata.normalize("NFC", text)
    language = language or detect_language(text)
    return _Extractor(text, LEXICONS[language]).run()


def _lower(text: str) -> str:
    return text.lower()


def _has(text: str, words: tuple[str, ...]) -> str | None:
    for word in words:
        if _word_in(word, text):
            return word
    return None


def _word_in(word: str, text: str) -> bool:
    if not word[0].isalnum() or not word[-1].isalnum():
        return word in text
    return re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", text) is not None


def _strip_marker(line: str) -> str:
    for pattern in (ROMAN, LETTER, SUBNUMBERED, NUMBERED, LETTERED, BULLET):
        line = pattern.sub("", line, count=1)
    return line.strip()


def _title(text: str) -> str:
    text = text.strip().rstrip(".;:")
    if len(text) <= MAX_TITLE:
        return text
    cut = text[:MAX_TITLE]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def _is_upper(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


class _Extractor:
    def __init__(self, text: str, lexicon: Lexicon):
        self.text = text
        self.lex = lexicon
        self.language = lexicon.language
        self.lines: list[tuple[int, str]] = []  # (offset, text)
        offset = 0
        for raw in text.split("\n"):
            self.lines.append((offset, raw))
            offset += len(raw) + 1
        self.sections: list[Section] = []
        self.items: list[Item] = []
        self.targets: list[Target] = []
        self.tasks: list[Task] = []
        self.programs: list[Program] = []
        self.period: tuple[int, int] | None = None
        self.header_end = 0  # lines of the header: no section begins there
        self.guessed_units: set[str] = set()  # nouns after a figure that no list knows

    # -- the document ---------------------------------------------------------------------

    def run(self) -> Proposal:
        document = self.header()
        self.body()
        document["period"] = (
            {"start": self.period[0], "end": self.period[1]} if self.period else None)
        if document["number"]:
            # A code the unit can keep beside other documents' targets: "01-NQ/ĐH-T05".
            for target in self.targets:
                target.code = f"{document['number'][:36]}-{target.code}"
        return Proposal(self.language, document, self.sections, self.items, self.targets,
                        self.tasks, self.programs)

    def header(self) -> dict[str, Any]:
        lex = self.lex
        head = [(i, line.strip()) for i, (_o, line) in enumerate(self.lines[:40]) if line.strip()]
        number = issuer = kind = title = None
        issued = None
        title_line = None
        issuer_index = -2
        for index, line in head[:25]:
            low = _lower(line)
            if number is None:
                for label in lex.number_label:
                    match = re.search(rf"(?:^|\s){re.escape(label)}\s*:?\s*([\w./\-]*\d[\w./\-]*)",
                                      low)
                    if match:
                        start = match.start(1)
                        number = line[start:start + len(match.group(1))].rstrip(".")
                        break
            if kind is None and self.is_issuer(low):
                # The lowest of the bodies named at the top issues the document; a bare
                # "BAN CHẤP HÀNH" under "ĐẢNG BỘ PHƯỜNG ..." is that body's committee.
                if issuer and index == issuer_index + 1 and re.match(
                        r"^(ban chấp hành|ban thường vụ|executive committee|standing "
                        r"committee|اللجنة التنفيذية|اللجنة الدائمة)$", low):
                    issuer = f"{line} {issuer}"
                elif issuer is None or index == issuer_index + 1:
                    issuer = line
                issuer_index = index
            if issued is None:
                issued = self.find_date(line)
            if kind is None and (_is_upper(line) or self.language == "ar") and len(line) < 80:
                for word, value in lex.document_kinds:
                    if low.startswith(word) or (self.language == "ar" and low.startswith(
                            ("ال" + word) if not word.startswith("ال") else word)):
                        kind, title_line = value, index
                        break
        if title_line is not None:
            parts = []
            following = [line for i, line in head if i > title_line]
            for line in following[:3]:
                if self.heading_kind(line) or NUMBERED.match(line) or ROMAN.match(line):
                    break
                parts.append(line)
                if len(" ".join(parts)) > 60:
                    break
            title = " ".join(parts) or None
            self.header_end = title_line + 1 + len(parts)
        # The document's issuer: a second upper-case line under the first often names the
        # committee ("ĐẢNG BỘ PHƯỜNG VIỆT HƯNG" / "BAN CHẤP HÀNH").
        self.period = self.find_period(" ".join(line for _i, line in head[:12]))
        return {"kind": kind or "resolution", "number": number, "date": issued,
                "issuer": issuer, "title": title}

    def is_issuer(self, low: str) -> bool:
        if self.language == "vi":
            return low.startswith(self.lex.issuer_starts)
        return any(start in low for start in self.lex.issuer_starts)

    def find_date(self, line: str) -> str | None:
        text = ascii_digits(_lower(line))
        match = re.search(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", text)
        if match:
            day, month, year = map(int, match.groups())
            return _iso(year, month, day)
        months = self.lex.months
        if months:
            names = "|".join(months)
            match = re.search(rf"(\d{{1,2}})\s+({names})\s*,?\s+(\d{{4}})", text)
            if match:
                return _iso(int(match.group(3)), months[match.group(2)], int(match.group(1)))
            match = re.search(rf"({names})\s+(\d{{1,2}}),?\s+(\d{{4}})", text)
            if match:
                return _iso(int(match.group(3)), months[match.group(1)], int(match.group(2)))
        match = re.search(r"(?<!\d)(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)", text)
        if match and (_word_in("ngày", text) or _word_in("dated", text) or "بتاريخ" in text):
            day, month, year = map(int, match.groups())
            return _iso(year, month, day)
        return None

    def find_period(self, text: str) -> tuple[int, int] | None:
        text = ascii_digits(text)
        match = re.search(rf"((?:19|20|21)\d\d)\s*[{DASHES}/]\s*((?:19|20|21)\d\d)", text)
        if match:
            start, end = int(match.group(1)), int(match.group(2))
            if start < end <= start + 50:
                return start, end
        return None

    # -- sections -------------------------------------------------------------------------

    def heading_kind(self, line: str) -> str | None:
        """The kind of section a heading line opens, or None for an ordinary line."""
        stripped = line.strip()
        if not stripped or len(stripped) > 160:
            return None
        marked = bool(ROMAN.match(stripped) or LETTER.match(stripped)
                      or re.match(r"^(phần|part|chương|الباب|القسم|أولا|ثانيا|ثالثا|رابعا|"
                                  r"خامسا|سادسا)\b", stripped, re.IGNORECASE))
        upper = _is_upper(stripped) and len(stripped) > 5
        arabic_heading = self.language == "ar" and stripped.endswith(":") is False and (
            re.match(r"^(أولاً|ثانياً|ثالثاً|رابعاً|خامساً|سادساً|سابعاً)", stripped))
        if not (marked or upper or arabic_heading):
            return None
        body = _lower(_strip_marker(stripped))
        for word, kind in self.lex.sections:
            if re.search(rf"(?<!\w){re.escape(word)}", body):
                return kind
        return lx.OTHER if marked else None

    def body(self) -> None:
        section_kind: str | None = None
        section_index: int | None = None
        group: int | None = None
        general = False  # inside "Mục tiêu tổng quát": prose, no figures proposed
        scope_has_targets = any(
            self.heading_kind(line) == lx.TARGETS for _o, line in self.lines)
        context_year: int | None = None
        for number, (offset, raw) in enumerate(self.lines, start=1):
            line = raw.strip()
            if not line:
                continue
            kind = self.heading_kind(line) if number > self.header_end else None
            if number <= self.header_end:
                continue
            if kind is not None:
                section_kind = kind
                marker = ROMAN.match(line) or LETTER.match(line)
                code = marker.group().strip().rstrip(".)") if marker else ""
                self.sections.append(Section(kind, _title(_strip_marker(line)), number, code))
                section_index = len(self.sections) - 1
                group, general, context_year = None, False, None
                low = _lower(line)
                if _has(low, self.lex.general_objective):
                    general = True
                continue
            low = _lower(line)
            stripped = _strip_marker(line)
            numbered = bool(NUMBERED.match(line) or LETTERED.match(line))
            if section_kind == lx.TARGETS or (not scope_has_targets and section_kind in (
                    None, lx.OTHER)):
                if _has(low[:60], self.lex.general_objective):
                    general = True
                    continue
                if general and (numbered or len(line) < 80) and re.search(
                        r"chỉ tiêu|target|indicator|المؤشرات|الأهداف المحددة|specific",
                        low):
                    general = False
                    context_year = self.first_year(low)
                    continue
                if general:
                    continue
                if len(line) < 120 and line.endswith(":") and not self.value_numbers(line):
                    context_year = self.first_year(low) or context_year
                    continue
                self.target_line(line, offset + raw.index(line), number, section_index,
                                 context_year)
            elif section_kind in (lx.VIEWPOINTS, lx.BREAKTHROUGHS):
                self.item_lines(section_kind, line, number, section_index)
            elif section_kind == lx.TASKS:
                if (NUMBERED.match(line) or SUBNUMBERED.match(line)) and not BULLET.match(line):
                    self.items.append(Item("task_group", _title(self.first_sentence(stripped)),
                                           stripped, number, section_index))
                    group = len(self.items) - 1
                elif BULLET.match(line) or LETTERED.match(line):
                    self.tasks.append(self.task(stripped, number, group))
                    self.tasks[-1].section = section_index
                elif group is not None:
                    item = self.items[group]
                    item.text = f"{item.text}\n{line}"
            elif section_kind == lx.PROGRAMS and (numbered or BULLET.match(line)):
                match = re.search(r"(?:số|no\.|رقم)\s*([\w/\-.]*\d[\w/\-.]*)", stripped,
                                  re.IGNORECASE)
                number_text = match.group(1).rstrip(".,:") if match else None
                self.programs.append(Program(_title(stripped), number_text, number))

    def first_sentence(self, text: str) -> str:
        match = re.search(r"[.:;](\s|$)", text)
        return text[: match.start()] if match else text

    def item_lines(self, kind: str, line: str, number: int, section: int | None) -> None:
        item_kind = ITEM_KIND[kind]
        stripped = _strip_marker(line)
        inline = list(INLINE_ITEMS.finditer(stripped))
        if len(inline) >= 2:
            for i, match in enumerate(inline):
                end = inline[i + 1].start() if i + 1 < len(inline) else len(stripped)
                part = stripped[match.end():end].strip().rstrip(";.,")
                if part:
                    self.items.append(Item(item_kind, _title(part), part, number, section))
            return
        if NUMBERED.match(line) or BULLET.match(line) or LETTERED.match(line) or not any(
                item.section == section for item in self.items):
            self.items.append(Item(item_kind, _title(self.first_sentence(stripped)), stripped,
                                   number, section))
        else:
            item = self.items[-1]
            item.text = f"{item.text}\n{line}"

    def task(self, text: str, number: int, group: int | None) -> Task:
        low = _lower(text)
        task = Task(_title(self.first_sentence(text)), number, group)
        for word in self.lex.lead_words:
            match = re.search(rf"(?<!\w){re.escape(word)}\s*:?\s*([^;.()]+)", low)
            if match:
                start = match.start(1)
                task.lead_unit = text[start:match.end(1)].strip(" ,:") or None
                break
        for word in self.lex.result_words:
            match = re.search(rf"(?<!\w){re.escape(word)}\s*:\s*([^;()]+)", low)
            if match:
                task.result = text[match.start(1):match.end(1)].strip(" ,.") or None
                break
        task.deadline = self.deadline(low)
        return task

    def deadline(self, low: str) -> str | None:
        text = ascii_digits(low)
        if not _has(text, self.lex.deadline_words):
            return None
        match = re.search(r"(?<!\d)(\d{1,2})/(\d{1,2})/(\d{4})", text)
        if match:
            day, month, year = map(int, match.groups())
            return _iso(year, month, day)
        match = re.search(r"(?:quý|quarter|q)\s*(iv|iii|ii|i|[1-4])\s*/?\s*(?:năm\s*)?(\d{4})",
                          text)
        if match:
            quarter = {"i": 1, "ii": 2, "iii": 3, "iv": 4}.get(match.group(1)) or int(
                match.group(1))
            return _iso(int(match.group(2)), quarter * 3, 30 if quarter in (2, 3) else 31)
        match = re.search(r"tháng\s*(\d{1,2})\s*/\s*(\d{4})", text)
        if match:
            month, year = int(match.group(1)), int(match.group(2))
            following = date(year + (month == 12), month % 12 + 1, 1)
            return date.fromordinal(following.toordinal() - 1).isoformat()
        year = self.first_year(text)
        return _iso(year, 12, 31) if year else None

    # -- targets --------------------------------------------------------------------------

    def first_year(self, text: str) -> int | None:
        for match in NUMBER_RE.finditer(ascii_digits(text)):
            if self.is_year(text, match):
                return int(match.group())
        return None

    def is_year(self, text: str, match: re.Match) -> bool:
        token = match.group()
        if not token.isdigit() or len(token) != 4 or not FIRST_YEAR <= int(token) <= LAST_YEAR:
            return False
        after = _lower(text[match.end():match.end() + 24]).lstrip()
        before = _lower(text[max(0, match.start() - 12):match.start()])
        if re.search(r"(năm|year|in|by|عام|từ|from)\s*$", before):
            return True
        nouns = (*self.lex.scales, *self.lex.count_nouns, *self.lex.people_nouns,
                 *self.lex.currencies)
        if after.startswith("%") or any(_word_in(noun, after) and after.startswith(noun)
                                        for noun in nouns):
            return False
        return not re.search(r"(đạt|reach|تبلغ)\s*$", before)

    def value_numbers(self, text: str) -> list[re.Match]:
        digits = ascii_digits(text)
        found = []
        for match in NUMBER_RE.finditer(digits):
            if self.is_year(digits, match):
                continue
            before = digits[max(0, match.start() - 8):match.start()]
            after = digits[match.end():match.end() + 2]
            # "Quyết định số 12/QĐ", "ISO 9001", a date "15/8", list markers "(1)".
            if re.search(r"(số|no\.|iso|tcvn|رقم)\s*$", _lower(before)) or after.startswith(
                    "/") and not after.startswith("/n") or before.endswith("/"):
                continue
            if before.endswith("(") and after.startswith(")"):
                continue
            found.append(match)
        return found

    def clauses(self, line: str) -> list[tuple[int, int]]:
        """The line cut into clauses that each carry one figure: at ";" always, at "," and
        "và/and" only where both sides carry a figure."""
        cuts = [0]
        for match in re.finditer(r";\s*|؛\s*|,\s+|،\s*|\s+(?:và|and)\s+|\.\s+(?=[A-ZĐ])", line):
            cuts.append(match.start())
            cuts.append(match.end())
        cuts.append(len(line))
        pieces = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts), 2)]
        has_value = [bool(self.value_numbers(line[a:b])) for a, b in pieces]
        merged: list[list[int]] = []
        pending: int | None = None
        for (a, b), valued in zip(pieces, has_value, strict=True):
            if not valued:
                if merged and pending is None and not self.is_prefix(line[a:b]):
                    merged[-1][1] = b
                elif pending is None:
                    pending = a
                continue
            merged.append([pending if pending is not None else a, b])
            pending = None
        if pending is not None and merged:
            merged[-1][1] = len(line)
        return [(a, b) for a, b in merged]

    def is_prefix(self, piece: str) -> bool:
        """A figure-less piece that introduces the next one ("Đến năm 2030", "trong đó")."""
        low = _lower(piece).strip()
        return bool(re.match(r"^(đến|phấn đấu|trong đó|by|in|of which|including|بحلول|منها|"
                             r"حتى)\b", low)) or low.endswith(":")

    def target_line(self, line: str, offset: int, number: int, section: int | None,
                    context_year: int | None) -> None:
        sentence = line
        marker = LIST_MARKER.match(line)
        if marker:  # "2. ", "(3) ", "a) ", "- ": not a figure
            line, offset = line[marker.end():], offset + marker.end()
        pieces = self.clauses(line)
        if not pieces:
            line, offset = sentence, offset - (marker.end() if marker else 0)
            target = self.yes_no(line, offset, number, section, context_year)
            if target:
                self.targets.append(target)
            return
        line_low = _lower(line)
        line_growth = bool(_has(line_low, self.lex.per_year)) and bool(
            _has(line_low, self.lex.average) or _has(line_low, self.lex.growth_words))
        line_year = self.by_year(line) or context_year
        for start, end in pieces:
            target = self.parse_clause(line, start, end, number, section, line_growth,
                                       line_year, offset, sentence)
            if target:
                self.targets.append(target)

    def yes_no(self, line: str, offset: int, number: int, section: int | None,
               context_year: int | None) -> Target | None:
        low = _lower(line)
        marker = _has(low, self.lex.yes_no_words)
        bullet = bool(BULLET.match(line) or NUMBERED.match(line) or LETTERED.match(line))
        if not marker or not bullet or len(line) > 250:
            return None
        start = len(line) - len(line.lstrip("-+•*–·▪●0123456789.)( "))
        text = line[start:].rstrip(".;")
        year = self.by_year(line) or context_year
        target = Target(
            code="", sentence=line, line=number, span=[offset + start, offset + start + len(text)],
            clause=text, indicator=_title(text), unit="", kind="yes_no", direction="higher",
            baseline_value="0", baseline_year=None, target_value="1", annual_rate=None,
            annual_rate_high=None, target_year=year, section=section,
            inferred=["baseline_value"])
        self.complete_years(target, line)
        target.code = f"T{len(self.targets) + 1:02d}"
        return target

    def by_year(self, text: str) -> int | None:
        """The year a clause aims at: "đến năm 2030", "by 2030", the end of "2025–2030"."""
        digits = ascii_digits(_lower(text))
        for word in self.lex.baseline_words:
            digits = re.sub(rf"{re.escape(word)}\s*(?:năm\s*)?\d{{4}}", " ", digits)
        period = re.search(rf"((?:19|20|21)\d\d)\s*[{DASHES}]\s*((?:19|20|21)\d\d)", digits)
        for word in self.lex.by_year:
            match = re.search(rf"(?<!\w){re.escape(word)}\s+((?:19|20|21)\d\d)(?!\d)", digits)
            if match and not (period and period.start() <= match.start(1) < period.end()
                              and match.start(1) == period.start()):
                return int(match.group(1))
        if period:
            return int(period.group(2))
        return None

    def unit_after(self, text: str, at: int) -> tuple[str, int, int]:
        """The unit written after a figure ending at `at`: (unit, multiplier power, end)."""
        rest = ascii_digits(text[at:])
        low = _lower(rest)
        match = re.match(r"\s*%", low)
        if match:
            return "%", 0, at + match.end()
        power, words, pos = 0, [], 0
        while True:
            match = re.match(r"\s*(\w+)", low[pos:])
            if not match or match.group(1) not in self.lex.scales:
                break
            words.append(match.group(1))
            pos += match.end()
        if words:
            # "1,2 nghìn tỷ đồng" = 1.200 tỷ đồng: the last scale word stays in the unit.
            power = sum(self.lex.scales[w] for w in words[:-1])
            unit_words = [words[-1]]
            for currency in sorted(self.lex.currencies, key=len, reverse=True):
                match = re.match(rf"\s*({re.escape(currency)})(?!\w)", low[pos:])
                if match:
                    unit_words.append(rest[pos + match.start(1):pos + match.end(1)])
                    pos += match.end()
                    break
            match = re.match(r"(\s*/\s*(?:người|người/năm|năm|hộ|person|capita|year|شخص|"
                             r"فرد|سنة))+", low[pos:])
            if match:
                unit_words[-1] += rest[pos:pos + match.end()].replace(" ", "")
                pos += match.end()
            return " ".join(unit_words), power, at + pos
        for currency in sorted(self.lex.currencies, key=len, reverse=True):
            match = re.match(rf"\s*({re.escape(currency)})(?!\w)", low)
            if match:
                return rest[match.start(1):match.end(1)], 0, at + match.end()
        nouns = sorted(self.lex.count_nouns + self.lex.people_nouns + self.lex.measures,
                       key=len, reverse=True)
        for noun in nouns:
            match = re.match(rf"\s*({re.escape(noun)})(?!\w)", low)
            if match:
                return rest[match.start(1):match.end(1)], 0, at + match.end()
        if self.language == "en":  # "2 commercial streets": a word or two before the noun
            for noun in nouns:
                match = re.match(rf"\s*((?:[a-z-]+\s+){{1,2}}{re.escape(noun)})(?!\w)", low)
                if match:
                    return rest[match.start(1):match.end(1)], 0, at + match.end()
        # A noun no list knows ("5 sân chơi", "3 new kindergartens"): the words up to the
        # next function word, at most two, taken as what is counted.
        words = list(re.finditer(r"\s*([^\W\d_]+)", low))
        guessed: list[re.Match] = []
        for match in words[:2]:
            if match.start() != (guessed[-1].end() if guessed else 0) or (
                    match.group(1) in FUNCTION_WORDS[self.language]):
                break
            guessed.append(match)
        if guessed:
            end = guessed[-1].end()
            unit = rest[guessed[0].start(1):end]
            self.guessed_units.add(unit)
            return unit, 0, at + end
        return "", 0, at

    def currency_before(self, text: str, at: int) -> tuple[str, int] | None:
        """English writes "USD 33 million": the currency before the figure."""
        low = _lower(text[:at])
        for currency in self.lex.currencies:
            if re.search(rf"(?<!\w){re.escape(currency)}\s*$", low):
                return text[at - len(low) + low.rfind(currency):][:len(currency)], len(currency)
        return None

    def parse_clause(self, line: str, start: int, end: int, number: int, section: int | None,
                     line_growth: bool, line_year: int | None, offset: int,
                     sentence: str) -> Target | None:
        lex = self.lex
        clause = line[start:end]
        # trim spaces and the marker of a bullet
        lead = len(clause) - len(clause.lstrip())
        marker = re.match(r"^(?:[-+•*–·▪●]\s*|\(?\d{1,2}[.)]\s+(?!\d)|[a-zđ]\)\s+)", clause[lead:])
        if marker:
            lead += marker.end()
        clause_text = clause[lead:].rstrip(" .;,،")
        cstart = start + lead
        low = _lower(clause_text)
        values = self.value_numbers(clause_text)
        if not values:
            return None
        digits = ascii_digits(clause_text)
        inferred: list[str] = []
        # -- the figures: a baseline, a range, the value -----------------------------------
        baseline_value = baseline_year = None
        skip_end = 0
        while len(values) > 1 and re.match(
                rf"\s*({'|'.join(map(re.escape, self.lex.descriptors))})(?!\w)",
                _lower(ascii_digits(clause_text[values[0].end():]))):
            skip_end = values[0].end() + 1
            values = values[1:]
        main = values[0]
        high = None
        rest_values = values[1:]
        if rest_values:
            second = rest_values[0]
            between = _lower(digits[main.end():second.start()])
            between_stripped = re.sub(r"[%\s]", "", between)
            year_between = self.first_year(between)
            is_dash = between_stripped in tuple(DASHES) or between_stripped in ("đến", "to")
            baseline_join = re.search(r"\b(lên|xuống|còn|to|إلى)\b|إلى", between)
            before_main = _lower(digits[max(0, main.start() - 12):main.start()])
            if re.search(r"(từ|from|من)\s*$", before_main) and (baseline_join or year_between) \
                    and not (is_dash and not year_between):
                if between_stripped.startswith(("đến", "to")) and not year_between and \
                        line_growth:
                    high = second
                else:
                    baseline_value = parse_number(main.group(), self.language)
                    baseline_year = year_between
                    main = second
            elif is_dash or re.fullmatch(r"(%?)(و|and|đến|to|và)%?", between_stripped):
                high = second
            elif re.search(r"\(\s*(?:năm\s*)?((?:19|20)\d\d)\s*[:là]*\s*$", _lower(
                    digits[max(0, second.start() - 20):second.start()])):
                baseline_value = parse_number(second.group(), self.language)
                baseline_year = int(re.search(r"((?:19|20)\d\d)\s*[:là]*\s*$", digits[
                    max(0, second.start() - 20):second.start()]).group(1))
        # "(năm 2025: 1,8%)" before the value
        match = re.search(r"\(\s*(?:năm\s*|in\s*|عام\s*)?((?:19|20)\d\d)\s*(?::|là|was)\s*$",
                          _lower(digits[max(0, main.start() - 20):main.start()]))
        if match and rest_values:
            baseline_value = parse_number(main.group(), self.language)
            baseline_year = int(match.group(1))
            main = rest_values[0] if rest_values[0] is not main else main
        value = parse_number(main.group(), self.language)
        if value is None:
            return None
        high_value = parse_number(high.group(), self.language) if high is not None else None
        value_end = high.end() if high is not None else main.end()
        unit, power, unit_end = self.unit_after(clause_text, value_end)
        if not unit and high is not None:
            unit, power, unit_end = self.unit_after(clause_text, main.end())
            unit_end = max(unit_end, value_end)
        if self.language != "vi" and not any(
                _lower(unit).find(c) >= 0 for c in lex.currencies):
            found = self.currency_before(clause_text, main.start())
            if found and (not unit or unit.split("/")[0] in lex.scales):
                scale, _sep, per = unit.partition("/")
                unit = f"{scale} {found[0]}".strip() + (f"/{per}" if per else "")
        if power:
            value = value * (Decimal(10) ** power)
            if high_value is not None:
                high_value = high_value * (Decimal(10) ** power)
        if baseline_value is not None and power:
            baseline_value = baseline_value * (Decimal(10) ** power)
        # -- the kind -------------------------------------------------------------------
        after_unit = low[unit_end:]
        per_year = unit == "%" and (
            re.match(r"\s*/\s*(năm|year|سنة)", after_unit) is not None
            or _has(low[unit_end - 1:unit_end + 16], lex.per_year) is not None
            or re.match(r"\s*(mỗi năm|per year|a year|annually|each year|سنوي|في السنة)",
                        after_unit) is not None)
        growth_word = _has(low, lex.growth_words)
        increase = _has(low[: main.start()], lex.increase)
        average = _has(low, lex.average)
        is_growth = unit == "%" and (
            (per_year and (average or growth_word or increase or line_growth))
            or (growth_word and (average or per_year or high is not None))
            or (line_growth and increase and not _has(low, lex.keep_words)))
        lower_word = _has(low[skip_end: main.start()], lex.lower_words)
        guard = _has(low[skip_end: main.start()], lex.higher_guard)
        direction = "lower" if lower_word and not guard else "higher"
        if is_growth:
            kind = "growth_range" if high_value is not None else "annual_growth"
            if lower_word and not guard and not growth_word:
                value = -value
        elif (_has(low, lex.keep_words) and not _has(low[: main.start()], lex.increase)) or (
                per_year):
            kind = "threshold_keep"
        elif unit and self.counted(unit) and not (
                _has(low, ("lũy kế", "luỹ kế", "cộng dồn", "cumulative", "تراكمي"))):
            kind = "count"
        elif (unit and _lower(unit) in lex.people_nouns) or (unit != "%" and (
                _has(low, lex.cumulative_words)
                or (self.period_in(low) and not self.by_year_word(low)))):
            kind = "cumulative"
        else:
            kind = "threshold"
        if unit and not is_growth and power == 0 and unit not in ("%",) and kind in (
                "threshold",) and _lower(unit) in lex.count_nouns:
            kind = "count"
        # -- the years -------------------------------------------------------------------
        target_year = self.by_year(clause_text) or line_year
        if baseline_year is None:
            match = None
            for word in lex.baseline_words:
                match = re.search(rf"{re.escape(word)}\s*((?:19|20)\d\d)", ascii_digits(low))
                if match:
                    baseline_year = int(match.group(1))
                    break
        period = self.find_period(clause_text)
        if baseline_year is None and period and kind in ("cumulative", "count"):
            baseline_year = period[0] if period[1] - period[0] >= 5 else period[0] - 1
        target = Target(
            code="", sentence=sentence, line=number,
            span=[offset + cstart, offset + cstart + len(clause_text)], clause=clause_text,
            indicator="", unit=unit if not is_growth else "", kind=kind, direction=direction,
            baseline_value=plain(baseline_value), baseline_year=baseline_year,
            target_value=None if is_growth else plain(value),
            annual_rate=plain(value) if is_growth else None,
            annual_rate_high=plain(high_value) if is_growth and high_value is not None
            else None,
            target_year=target_year, section=section, inferred=inferred)
        if not is_growth and high_value is not None:
            target.target_value = plain(value)
        target.indicator = self.indicator(clause_text, values[0].start(), unit_end,
                                          counted=kind in ("count", "cumulative") and not power
                                          and unit != "%")
        if target.baseline_value is None and kind in ("count", "cumulative"):
            target.baseline_value = "0"
            inferred.append("baseline_value")
        self.complete_years(target, line)
        target.code = f"T{len(self.targets) + 1:02d}"
        return target

    def counted(self, unit: str) -> bool:
        if unit in self.guessed_units:
            return True
        unit = _lower(unit)
        return unit in self.lex.count_nouns or (
            self.language == "en" and unit.split()[-1] in self.lex.count_nouns)

    def period_in(self, low: str) -> bool:
        return bool(re.search(rf"(19|20)\d\d\s*[{DASHES}]\s*(19|20)\d\d", ascii_digits(low)))

    def by_year_word(self, low: str) -> bool:
        return bool(re.search(r"(vào năm|đến năm|by|بحلول)\s*(19|20)\d\d", ascii_digits(low)))

    def complete_years(self, target: Target, line: str) -> None:
        """Years the text leaves to the document: the target year is the end of its period,
        the baseline year its start (marked as inferred)."""
        if target.target_year is None and self.period:
            target.target_year = self.period[1]
            target.inferred.append("target_year")
        if target.baseline_year is None and self.period:
            target.baseline_year = self.period[0]
            target.inferred.append("baseline_year")
        if (target.baseline_year and target.target_year
                and target.baseline_year >= target.target_year and self.period
                and "baseline_year" in target.inferred):
            target.baseline_year = min(self.period[0], target.target_year - 1)

    def indicator(self, clause: str, value_start: int, unit_end: int,
                  counted: bool = False) -> str:
        """What is measured: the words before the figure without the qualifiers, or for a
        count ("thu hút ít nhất 10 dự án đầu tư") the verb with what is counted."""
        before = clause[:value_start]
        before = re.sub(rf"\(?\s*(?:năm|in|عام)?\s*(19|20)\d\d\s*[{DASHES}]?\s*((19|20)\d\d)?\)?",
                        " ", before)
        words = before.split()
        qualifiers = sorted((*self.lex.at_least, *self.lex.currencies, *self.lex.keep_words),
                            key=lambda w: -len(w.split()))
        changed = True
        while changed and words:
            changed = False
            tail = " ".join(words).lower()
            for q in qualifiers:
                if tail.endswith(" " + q) or tail == q:
                    words = words[: len(words) - len(q.split())]
                    changed = True
                    break
        lead_words = ("phấn đấu", "đến năm", "đến", "vào năm", "trong đó", "by", "in", "of which",
                      "بحلول", "عام", "năm")
        changed = True
        while changed and words:
            changed = False
            head = " ".join(words).lower()
            for q in lead_words:
                if head.startswith(q + " ") or head == q:
                    words = words[len(q.split()):]
                    changed = True
                    break
            while words and re.fullmatch(r"[\d,.:()–\-]+", words[0]):
                words = words[1:]
                changed = True
        text = " ".join(words).strip(" ,:;-–(")
        if ":" in text and len(text.split(":")[0]) < 40:
            text = text.split(":", 1)[1].strip()
        after = clause[unit_end:]
        after = re.split(r"[,;(]|\s(?:vào|đến|trong|giai đoạn|by|in|during|بحلول|خلال|في)\s",
                         after)[0]
        short = len(text.split()) < (5 if self.language == "vi" else 3)
        if short and not after.strip().startswith(("/", "%")):
            unit = clause[value_start:unit_end]
            unit = NUMBER_RE.sub("", ascii_digits(unit)).strip(" %")
            unit_words = clause[unit_end - len(unit):unit_end] if unit and counted else ""
            text = " ".join(part for part in (text, unit_words, after.strip()) if part)
        text = text.strip(" ,:;-–")
        return _title(text[:1].upper() + text[1:] if text else clause)
