"""The report laid out: PDF (fpdf2), self-contained HTML, Markdown, and the schedule as CSV.

Text from plans is never markup: HTML escapes it, Markdown escapes its special characters, the
PDF writes it as text. The same report gives byte-identical HTML and Markdown.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import re
from functools import cache
from pathlib import Path

from roomplan.i18n import t
from roomplan.report.content import FONT, Report, Section, Table

FORMATS = ("pdf", "html", "md", "csv")

PRIMARY = "#004D99"
INK = "#1A1A1A"


def render(report: Report, fmt: str) -> bytes:
    """``report`` as ``fmt``: "pdf", "html", "md" or "csv" (the schedule)."""
    if fmt == "pdf":
        return _pdf(report)
    if fmt == "html":
        return _html(report).encode("utf-8")
    if fmt == "md":
        return _markdown(report).encode("utf-8")
    if fmt == "csv":
        return report.schedule_csv.encode("utf-8")
    raise ValueError(t("report.bad_format", None, fmt=fmt, allowed=", ".join(FORMATS)))


def _svg_body(svg: bytes) -> str:
    """The SVG element alone (no XML declaration or DOCTYPE), to inline in HTML."""
    text = _no_metadata(svg).decode("utf-8")
    start = text.find("<svg")
    return text[start:] if start >= 0 else ""


# -- HTML ---------------------------------------------------------------------------------
CSS = f"""
body {{ font-family: "IBM Plex Sans", Arial, sans-serif; font-size: 16px; color: {INK};
  max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }}
h1, h2 {{ color: {PRIMARY}; }} h2 {{ margin-top: 2rem; border-bottom: 1px solid #ddd; }}
ul.toc {{ list-style: none; padding-left: 0; }}
table {{ border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; font-size: 14px; }}
th, td {{ border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }}
th {{ background: #F5F5F5; }} .meta td:first-child {{ font-weight: bold; width: 12rem; }}
.conclusion {{ background: #F5F5F5; border-left: 4px solid {PRIMARY}; padding: 8px 16px;
  border-radius: 4px; }} figure svg {{ width: 100%; height: auto; }}
"""


def numbered(r: Report) -> list[tuple[str, Section]]:
    """Each section with its label: "1." ... for the body, "Bilag A" ... for appendices."""
    out, body, letters = [], 0, 0
    for s in r.sections:
        if s.appendix:
            letters += 1
            out.append((t("report.appendix", r.lang, letter=chr(ord("A") + letters - 1)) + ":", s))
        else:
            body += 1
            out.append((f"{body}.", s))
    return out


def _html(r: Report) -> str:
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{e(r.lang)}"><head><meta charset="utf-8">',
        f"<title>{e(r.title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{e(r.title)}</h1>",
        '<table class="meta">',
        *(f"<tr><td>{e(k)}</td><td>{e(v)}</td></tr>" for k, v in r.meta),
        "</table>",
        f"<h2>{e(t('report.s.conclusion', r.lang))}</h2>",
        f'<p class="conclusion">{e(r.conclusion)}</p>',
        f"<figure>{_svg_body(r.figure_svg)}<figcaption>{e(r.figure_caption)}</figcaption></figure>",
        f'<h2>{e(t("report.toc", r.lang))}</h2><ul class="toc">',
        *(
            f'<li><a href="#s{i}">{e(label)} {e(s.title)}</a></li>'
            for i, (label, s) in enumerate(numbered(r), 1)
        ),
        "</ul>",
    ]
    for i, (label, s) in enumerate(numbered(r), 1):
        out.append(f'<h2 id="s{i}">{e(label)} {e(s.title)}</h2>')
        out += [f"<p>{e(p)}</p>" for p in s.paragraphs]
        for table in s.tables:
            out.append("<table><thead><tr>")
            out += [f"<th>{e(h)}</th>" for h in table.header]
            out.append("</tr></thead><tbody>")
            for row in table.rows:
                out.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>")
            out.append("</tbody></table>")
        if s.bullets:
            out.append("<ul>" + "".join(f"<li>{e(b)}</li>" for b in s.bullets) + "</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# -- Markdown -----------------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>.:$-])")


_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def markdown_text(text: str) -> str:
    """Plain text safe in Markdown, here and in the app: one line (no control characters),
    HTML turned into entities, Markdown punctuation, maths ``$`` and emoji ``:code:``
    escaped."""
    text = html.escape(_CONTROL.sub(" ", str(text)), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", text)


def _markdown(r: Report) -> str:
    out = [f"# {markdown_text(r.title)}", ""]
    out += [f"- **{markdown_text(k)}:** {markdown_text(v)}" for k, v in r.meta]
    out += [
        "",
        f"## {markdown_text(t('report.s.conclusion', r.lang))}",
        "",
        markdown_text(r.conclusion),
        "",
    ]
    data = base64.b64encode(r.figure_svg).decode("ascii")
    out += [f"![{markdown_text(r.figure_caption)}](data:image/svg+xml;base64,{data})", ""]
    for label, s in numbered(r):
        out += [f"## {markdown_text(label)} {markdown_text(s.title)}", ""]
        for p in s.paragraphs:
            out += [markdown_text(p), ""]
        for table in s.tables:
            out.append("| " + " | ".join(markdown_text(h) for h in table.header) + " |")
            out.append("|" + "---|" * len(table.header))
            out += ["| " + " | ".join(markdown_text(c) for c in row) + " |" for row in table.rows]
            out.append("")
        if s.bullets:
            out += [f"- {markdown_text(b)}" for b in s.bullets]
            out.append("")
    return "\n".join(out)


# -- PDF ----------------------------------------------------------------------------------
@cache
def _font_files() -> tuple[Path, Path]:
    """DejaVu Sans (free, covers Danish letters and dashes), as shipped with matplotlib."""
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"


@cache
def _covered() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(_font_files()[0], lazy=True) as font:
        return frozenset(font.getBestCmap())


def _safe(text: str) -> str:
    """Characters the font lacks (emoji, say) shown as U+FFFD rather than dropped."""
    covered = _covered()
    return "".join(c if ord(c) in covered or c in "\n\t" else "\ufffd" for c in str(text))


SECTION_ROOM_MM = 70.0
"""The least room left on a page [mm] for a section to start there rather than overleaf."""


def _pdf(r: Report) -> bytes:
    """Title page, the plan on a landscape page, the contents (filled in by fpdf2 at the end,
    one page), the sections, then the appendices, each on a new page."""
    pdf = _pdf_document(r)
    _pdf_title_page(pdf, r)
    # the plan is wider than tall: a landscape page draws it 1.4 times larger
    pdf.add_page(orientation="L")
    pdf.start_section(_safe(r.figure_caption))
    _heading(pdf, r.figure_caption)
    _pdf_figure(pdf, _no_metadata(r.figure_svg))
    pdf.add_page(orientation="P")
    pdf.insert_toc_placeholder(_toc(r.lang), pages=1)  # breaks to the first section's page
    for k, (label, s) in enumerate(numbered(r)):
        # a section starts on a new page only when little of this one is left (or an appendix)
        if k and (s.appendix or pdf.get_y() > pdf.h - pdf.b_margin - SECTION_ROOM_MM):
            pdf.add_page()
        elif k:
            pdf.ln(6)
        pdf.start_section(_safe(f"{label} {s.title}"))
        _heading(pdf, f"{label} {s.title}")
        for p in s.paragraphs:
            _para(pdf, p)
        for tab in s.tables:
            _pdf_table(pdf, tab)
        for b in s.bullets:
            _para(pdf, f"• {b}")
    return bytes(pdf.output())


def _pdf_figure(pdf, svg: bytes) -> None:
    """The plan at the full width, or the full height left when that is what limits it."""
    match = re.search(rb'viewBox="[\d.\-]+ [\d.\-]+ ([\d.]+) ([\d.]+)"', svg)
    wide, high = (float(match.group(1)), float(match.group(2))) if match else (2.0, 1.0)
    aspect = high / wide if wide > 0 and high > 0 else 0.5
    room = pdf.h - pdf.b_margin - pdf.get_y()
    width = min(pdf.epw, room / aspect)
    pdf.image(io.BytesIO(_safe_labels(svg)), x=pdf.l_margin + (pdf.epw - width) / 2, w=width)


def _safe_labels(svg: bytes) -> bytes:
    """The figure's labels with :func:`_safe` characters: fpdf2 leaves out of its drawing a
    character the font lacks, where the tables show U+FFFD."""
    return re.sub(
        rb"(<text\b[^>]*>)([^<]*)(</text>)",
        lambda m: m[1] + _safe(m[2].decode("utf-8")).encode("utf-8") + m[3],
        svg,
    )


def _pdf_document(r: Report):
    """An A4 document with the report's fonts, page numbers and metadata."""
    from fpdf import FPDF

    lang = r.lang

    class _Doc(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(FONT, size=8)
            self.set_text_color(90)
            self.cell(0, 8, _safe(t("report.page", lang, n=self.page_no())), align="C")

    pdf = _Doc(format="A4", unit="mm")
    pdf.set_auto_page_break(True, margin=16)
    regular, bold = _font_files()
    pdf.add_font(FONT, "", str(regular))
    pdf.add_font(FONT, "B", str(bold))
    pdf.set_title(_safe(r.title))
    pdf.set_lang(lang)
    pdf.set_creator("roomplan")
    if r.author:
        pdf.set_author(_safe(r.author))
    # the report's own date, not the clock: the same report renders to the same bytes
    day = r.date or dt.date(2000, 1, 1)
    pdf.set_creation_date(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC))
    pdf.set_margins(16, 16, 16)
    return pdf


def _pdf_title_page(pdf, r: Report) -> None:
    """The title, the facts of the report (``meta``) and the conclusion."""
    pdf.add_page()
    pdf.set_font(FONT, "B", 20)
    pdf.set_text_color(0, 77, 153)
    pdf.multi_cell(pdf.epw, 10, _safe(r.title), new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(4)
    pdf.set_text_color(26)
    for k, v in r.meta:
        pdf.set_font(FONT, "B", 10)
        pdf.cell(40, 6, _safe(k))
        pdf.set_font(FONT, "", 9 if "sha256" in k else 10)
        pdf.multi_cell(pdf.epw - 40, 6, _safe(v), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    _heading(pdf, t("report.s.conclusion", r.lang))
    _para(pdf, r.conclusion, 11)


def _heading(pdf, text: str, size: float = 14) -> None:
    pdf.set_font(FONT, "B", size)
    pdf.set_text_color(0, 77, 153)
    pdf.multi_cell(pdf.epw, 7, _safe(text), new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(1)
    pdf.set_text_color(26)


def _para(pdf, text: str, size: float = 10) -> None:
    pdf.set_font(FONT, "", size)
    pdf.multi_cell(pdf.epw, 5, _safe(text), new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(2)


def _pdf_table(pdf, tab: Table) -> None:
    from fpdf.fonts import FontFace

    if not tab.header:
        return
    pdf.set_font(FONT, "", 7.5)
    weights = tab.widths if len(tab.widths) == len(tab.header) else (1,) * len(tab.header)
    widths = _fitted(pdf, tab, weights)
    with pdf.table(
        col_widths=widths,
        headings_style=FontFace(emphasis="BOLD", fill_color=(245, 245, 245)),
        line_height=3.8,
        text_align="LEFT",
        width=pdf.epw,
    ) as grid:
        row = grid.row()
        for h in tab.header:
            row.cell(_safe(h))
        for values in tab.rows:
            row = grid.row()
            for v in values:
                row.cell(_safe(v))
    pdf.ln(3)


def _fitted(pdf, tab: Table, weights: tuple[float, ...]) -> tuple[float, ...]:
    """Column widths [mm] in proportion to ``weights``, but each at least as wide as its
    longest word (bold in the heading), so no word is broken across lines."""
    pad = 2 * pdf.c_margin + 0.5
    least = []
    for k, heading in enumerate(tab.header):
        pdf.set_font(FONT, "B", 7.5)
        wide = max((pdf.get_string_width(_safe(w)) for w in heading.split()), default=0.0)
        pdf.set_font(FONT, "", 7.5)
        words = (w for row in tab.rows for w in str(row[k]).split())
        wide = max([wide, *(pdf.get_string_width(_safe(w)) for w in words)])
        least.append(wide + pad)
    total = sum(weights)
    widths = [pdf.epw * w / total for w in weights]
    if sum(least) > pdf.epw:
        return tuple(widths)  # no width fits every word: the proportions stand
    short = sum(max(m - w, 0.0) for m, w in zip(least, widths, strict=True))
    spare = [max(w - m, 0.0) for m, w in zip(least, widths, strict=True)]
    return tuple(
        max(m, w - short * s / sum(spare)) if sum(spare) else w
        for m, w, s in zip(least, widths, spare, strict=True)
    )


def _no_metadata(svg: bytes) -> bytes:
    """fpdf2 draws SVG paths but not the <metadata> block (it would only warn about it)."""
    return re.sub(rb"<metadata>.*?</metadata>", b"", svg, flags=re.DOTALL)


def _toc(lang: str):
    def render_toc(pdf, outline) -> None:
        pdf.set_x(pdf.l_margin)
        pdf.set_font(FONT, "B", 14)
        pdf.set_text_color(0, 77, 153)
        pdf.cell(0, 10, _safe(t("report.toc", lang)), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(26)
        pdf.set_font(FONT, "", 11)
        for entry in outline:
            link = pdf.add_link(page=entry.page_number)
            pdf.cell(pdf.epw - 20, 7, _safe(entry.name), new_x="RIGHT", new_y="TOP", link=link)
            pdf.cell(
                20, 7, str(entry.page_number), align="R", new_x="LMARGIN", new_y="NEXT", link=link
            )

    return render_toc


__all__ = ["FORMATS", "Report", "Section", "Table", "markdown_text", "numbered", "render"]
