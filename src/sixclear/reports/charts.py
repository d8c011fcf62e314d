"""Charts for the PDF, drawn as inline SVG (no JavaScript in PDFs).

Each chart is a table: labels and numbers are HTML text, so WeasyPrint shapes Vietnamese and
Arabic and the table mirrors right-to-left; each bar is a small SVG growing from the start
side of the line.
"""

STATUS_COLOURS = {
    "done": "#2e7d32", "on_track": "#1565c0", "at_risk": "#ef6c00", "late": "#c62828",
    "not_started": "#757575",
}
STATUS_ORDER = ("done", "on_track", "at_risk", "late", "not_started")
BAR_WIDTH, BAR_HEIGHT = 260, 12


def _bar(segments, top, rtl):
    """One SVG bar of coloured segments [(value, colour)], scaled so `top` fills the width."""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{BAR_WIDTH}" '
             f'height="{BAR_HEIGHT}" viewBox="0 0 {BAR_WIDTH} {BAR_HEIGHT}">']
    offset = 0.0
    for value, colour in segments:
        length = BAR_WIDTH * value / top if top else 0
        x = BAR_WIDTH - offset - length if rtl else offset
        parts.append(f'<rect x="{x:.1f}" y="0" width="{length:.1f}" height="{BAR_HEIGHT}" '
                     f'fill="{colour}"/>')
        offset += length
    parts.append("</svg>")
    return "".join(parts)


def status_rows(counts, labels, *, rtl=False):
    """A row per task status: its label, its count and its bar."""
    top = max([counts.get(key, 0) for key in STATUS_ORDER] + [1])
    return [{"label": labels.get(key, key), "value": counts.get(key, 0),
             "bar": _bar([(counts.get(key, 0), STATUS_COLOURS[key])], top, rtl)}
            for key in STATUS_ORDER]


def sub_unit_rows(rows, *, rtl=False):
    """A row per sub-unit given (those the report's table lists): done, open and not late, and
    late tasks, as one stacked bar; the longest is the sub-unit with the most tasks."""
    top = max([row["total"] for row in rows] + [1])
    return [{"label": row["unit"], "value": row["total"], "bar": _bar([
        (row["done"], STATUS_COLOURS["done"]),
        (max(row["open"] - row["late"], 0), STATUS_COLOURS["on_track"]),
        (row["late"], STATUS_COLOURS["late"]),
    ], top, rtl)} for row in rows]
