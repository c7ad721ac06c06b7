"""The review document as an editable Word file (DOCX), laid out as a Vietnamese administrative
document (Decree 30/2020/NĐ-CP): A4, margins 20 mm top and bottom, 30 mm left, 15 mm right, Times
New Roman 14 pt, the heading in two columns (issuing union | national motto), the title, numbered
sections with bordered tables, and the signature block. The content comes from
``welfare.report_document``, the same document as the printable page.
"""

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
HEAD_SIZE = Pt(12)
TABLE_SIZE = Pt(12)
TEXT_WIDTH_MM = 210 - 30 - 15
# Elements that must come after the ones this module adds (Word refuses files whose elements
# are out of the schema's order).
AFTER_TBL_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption")
AFTER_TBL_CELL_MAR = ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
AFTER_P_BDR = ("w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr", "w:sectPr")
AFTER_TBL_HEADER = ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del")
ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
}


def render(document):
    """The DOCX file of a ``ReviewDocument``, as bytes."""
    word = Document()
    _page_setup(word)
    _styles(word)
    _heading(word, document)
    _title(word, document)
    for paragraph in document.intro:
        _body(word, paragraph)
    for section in document.sections:
        heading = _text(word, section.heading, bold=True, indent=True, space_before=6)
        heading.paragraph_format.keep_with_next = True
        for block in section.blocks:
            if block.kind == "table":
                _table(word, block)
            else:
                _body(word, block)
    _body(word, document.closing)
    _signature(word, document)
    properties = word.core_properties
    properties.title = document.title
    properties.author = document.issuer
    properties.language = "vi-VN"
    output = io.BytesIO()
    word.save(output)
    return output.getvalue()


def _page_setup(word):
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    # Page numbers at the top centre from the second page on, as Decree 30 places them.
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(paragraph)


def _page_field(paragraph):
    run = paragraph.add_run()
    run.font.size = BODY_SIZE
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _styles(word):
    normal = word.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = BODY_SIZE
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "vi-VN")
    normal.element.get_or_add_rPr().append(language)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)


def _runs(paragraph, runs, *, size=None, bold=False, italic=False):
    for part in runs:
        text, run_italic = (part, False) if isinstance(part, str) else (part.text, part.italic)
        run = paragraph.add_run(text)
        run.font.name = FONT
        run.font.size = size or BODY_SIZE
        run.bold = bold or None
        run.italic = (italic or run_italic) or None
    return paragraph


def _text(
    container,
    text,
    *,
    size=None,
    bold=False,
    italic=False,
    align=None,
    indent=False,
    space_before=0,
    space_after=6,
):
    paragraph = container.add_paragraph()
    _runs(paragraph, [text], size=size, bold=bold, italic=italic)
    _format(
        paragraph, align=align, indent=indent, space_before=space_before, space_after=space_after
    )
    return paragraph


def _format(paragraph, *, align=None, indent=False, space_before=0, space_after=6, line=1.15):
    form = paragraph.paragraph_format
    if align is not None:
        paragraph.alignment = align
    if indent:
        form.first_line_indent = Cm(1)
    form.space_before = Pt(space_before)
    form.space_after = Pt(space_after)
    form.line_spacing = line


def _body(word, block):
    paragraph = word.add_paragraph()
    italic = block.style in {"note", "placeholder"}
    _runs(paragraph, block.runs, bold=block.style == "subheading", italic=italic)
    _format(paragraph, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
    if block.style == "subheading":
        paragraph.paragraph_format.keep_with_next = True


def _rule(container, *, width_mm, cell_width_mm):
    """A short centred line, as drawn under the issuer's name and under the motto: the bottom
    border of an empty paragraph, narrowed by its indents."""
    paragraph = container.add_paragraph()
    side = Mm(max((cell_width_mm - width_mm) / 2, 0))
    form = paragraph.paragraph_format
    form.left_indent = form.right_indent = side
    form.space_after = Pt(4)
    form.line_spacing = Pt(3)  # exactly: the line sits just under the text above
    run = paragraph.add_run()
    run.font.size = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *AFTER_P_BDR)
    return paragraph


def _no_borders(table):
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.insert_element_before(borders, *AFTER_TBL_BORDERS)


def _cell_margins(table, side_mm, top_mm=0):
    """Inner margins of every cell of a table (Word's default is 1.9 mm left and right)."""
    margins = OxmlElement("w:tblCellMar")
    for edge, size in (("top", top_mm), ("left", side_mm), ("bottom", top_mm), ("right", side_mm)):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(round(size * 1440 / 25.4)))  # twentieths of a point
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.insert_element_before(margins, *AFTER_TBL_CELL_MAR)


def _fixed(table, widths_mm):
    table.autofit = False  # a fixed layout: Word keeps the widths below
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)


def _cell_text(cell, text, **options):
    """Write into a cell: its first (empty) paragraph, then new ones."""
    paragraph = (
        cell.paragraphs[-1]
        if not cell.paragraphs[-1].text and not cell.paragraphs[-1].runs
        else cell.add_paragraph()
    )
    _runs(
        paragraph,
        [text],
        size=options.pop("size", None),
        bold=options.pop("bold", False),
        italic=options.pop("italic", False),
    )
    _format(paragraph, **{"space_after": 0, **options})
    return paragraph


def _heading(word, document):
    left, right = 74, TEXT_WIDTH_MM - 74
    table = word.add_table(rows=2, cols=2)
    _no_borders(table)
    _cell_margins(table, 0)
    _fixed(table, [left, right])
    center = WD_ALIGN_PARAGRAPH.CENTER
    issuer, motto = table.rows[0].cells
    if document.superior:
        _cell_text(issuer, document.superior, size=HEAD_SIZE, align=center)
    _cell_text(issuer, document.issuer, size=HEAD_SIZE, bold=True, align=center)
    _rule(issuer, width_mm=30, cell_width_mm=left)
    _cell_text(motto, document.country, size=HEAD_SIZE, bold=True, align=center)
    _cell_text(motto, document.motto, size=BODY_SIZE, bold=True, align=center)
    _rule(motto, width_mm=62, cell_width_mm=right)
    number, place = table.rows[1].cells
    _cell_text(number, document.number, size=Pt(13), align=center)
    _cell_text(place, document.place_date, size=BODY_SIZE, italic=True, align=center)


def _title(word, document):
    center = WD_ALIGN_PARAGRAPH.CENTER
    _text(word, document.title, bold=True, align=center, space_before=18, space_after=0)
    _text(word, document.subtitle, bold=True, align=center, space_after=0)
    if document.period_line:
        _text(word, document.period_line, italic=True, align=center, space_after=0)
    _rule(word, width_mm=40, cell_width_mm=TEXT_WIDTH_MM)
    word.paragraphs[-1].paragraph_format.space_after = Pt(12)


def _repeat_header(row):
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.insert_element_before(element, *AFTER_TBL_HEADER)


def _table(word, block):
    total_weight = sum(column.width for column in block.columns)
    widths = [TEXT_WIDTH_MM * column.width / total_weight for column in block.columns]
    rows = [*block.rows, *([block.total] if block.total else [])]
    table = word.add_table(rows=1 + len(rows), cols=len(block.columns))
    table.style = word.styles["Table Grid"]
    _cell_margins(table, 1.2, 0.4)
    _fixed(table, widths)
    _repeat_header(table.rows[0])
    for cell, column in zip(table.rows[0].cells, block.columns, strict=True):
        _cell_text(cell, column.header, size=TABLE_SIZE, bold=True, align=ALIGN["center"], line=1)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for index, values in enumerate(rows, start=1):
        is_total = block.total is not None and index == len(rows)
        for cell, column, value in zip(table.rows[index].cells, block.columns, values, strict=True):
            _cell_text(
                cell, value, size=TABLE_SIZE, bold=is_total, align=ALIGN[column.align], line=1
            )
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    # A little air after the table before the next paragraph.
    spacer = word.add_paragraph()
    spacer.paragraph_format.space_after = Pt(0)
    spacer.add_run().font.size = Pt(6)


def _signature(word, document):
    left, right = 80, TEXT_WIDTH_MM - 80
    table = word.add_table(rows=1, cols=2)
    _no_borders(table)
    _cell_margins(table, 0)
    _fixed(table, [left, right])
    table.rows[0]._tr.get_or_add_trPr().insert_element_before(
        OxmlElement("w:cantSplit"), "w:trHeight", "w:tblHeader", *AFTER_TBL_HEADER
    )
    recipients, signer = table.rows[0].cells
    _cell_text(
        recipients, document.recipients_heading, size=Pt(12), bold=True, italic=True, space_before=6
    )
    for line in document.recipients:
        _cell_text(recipients, line, size=Pt(11))
    center = WD_ALIGN_PARAGRAPH.CENTER
    _cell_text(signer, document.signer_on_behalf, bold=True, align=center, space_before=6)
    _cell_text(signer, document.signer_position, bold=True, align=center)
    for _blank in range(4):
        _cell_text(signer, "", align=center)
    _cell_text(signer, document.signer_name or "", bold=True, align=center)
