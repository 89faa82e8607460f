"""An Excel workbook (Office Open XML) written as a stream: sheet after sheet, row after row.

A workbook is a zip of XML parts. The sheets are written straight into the zip as their
rows come, so neither memory nor a temporary file grows with the list; the small parts
that name the sheets (workbook, relationships, content types) are written at the end,
when the sheets are known. Cells are built by the caller as XML text (`cell_ref`,
`text_xml`, `number_xml`): for a million rows of seventeen columns, formatting text
directly is several times faster than a general spreadsheet library, and the export only
needs four styles.

Deflate runs at its fastest level: the sheet XML is very repetitive, so level 1 already
shrinks it about tenfold, at a fraction of the default level's time.
"""

import re
import zipfile
from collections.abc import Sequence
from typing import BinaryIO

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOCUMENT = f"{_RELATIONSHIPS}/officeDocument"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# The cell styles of the export, by index into styles.xml's cellXfs.
PLAIN, BOLD, MONEY, DAY, MOMENT = range(5)
_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd.mm.yyyy"/>'
    '<numFmt numFmtId="165" formatCode="dd.mm.yyyy hh:mm"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    # 4 is Excel's built-in "#,##0.00".
    '<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)

# XML 1.0 cannot hold most control characters (a scanner's NUL byte, say); Office Open
# XML writes them as _xHHHH_, and a literal "_xHHHH_" in the text has its "_" escaped the
# same way so that it reads back unchanged.
_ESCAPES = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"} | {
    code: f"_x{code:04X}_" for code in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))
}
_LITERAL_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")


def column_letters(index: int) -> str:
    """`A` for the first column (0), `Z`, `AA` … as a cell reference names it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def text_xml(ref: str, text: str, style: int = PLAIN) -> str:
    """A cell holding `text` as text (never read as a number or a formula)."""
    if "_x" in text:
        text = _LITERAL_ESCAPE.sub("_x005F_", text)
    text = text.translate(_ESCAPES)
    styled = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{styled} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def number_xml(ref: str, number: object, style: int = PLAIN) -> str:
    """A cell holding a number (`number`'s text is written as it is: an int, Decimal, float)."""
    styled = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{styled}><v>{number}</v></c>'


class XlsxPackage:
    """Sheets written one after another into `file` (which stays open after `close`)."""

    def __init__(self, file: BinaryIO) -> None:
        self._zip = zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        self._names: list[str] = []
        self._sheet: BinaryIO | None = None

    def start_sheet(self, name: str, widths: Sequence[float], header: str) -> None:
        """Finish the sheet being written and begin the next, its first row frozen."""
        self._finish_sheet()
        self._names.append(name)
        self._sheet = self._zip.open(
            f"xl/worksheets/sheet{len(self._names)}.xml", "w", force_zip64=True
        )  # type: ignore[assignment]
        columns = "".join(
            f'<col min="{at}" max="{at}" width="{width}" customWidth="1"/>'
            for at, width in enumerate(widths, start=1)
        )
        selected = ' tabSelected="1"' if len(self._names) == 1 else ""
        self.write(
            f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}"><sheetViews>'
            f'<sheetView{selected} workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{columns}</cols><sheetData>{header}'
        )

    def write(self, xml: str) -> None:
        """Append rows (`<row …>…</row>` text) to the current sheet."""
        assert self._sheet is not None, "start_sheet first"
        self._sheet.write(xml.encode())

    def close(self) -> None:
        self._finish_sheet()
        parts = {
            "[Content_Types].xml": self._content_types(),
            "_rels/.rels": _relationships([(_OFFICE_DOCUMENT, "xl/workbook.xml")]),
            "xl/workbook.xml": self._workbook(),
            "xl/_rels/workbook.xml.rels": self._workbook_relationships(),
            "xl/styles.xml": _STYLES,
        }
        for name, xml in parts.items():
            self._zip.writestr(name, xml)
        self._zip.close()

    def _finish_sheet(self) -> None:
        if self._sheet is not None:
            self.write("</sheetData></worksheet>")
            self._sheet.close()
            self._sheet = None

    def _workbook(self) -> str:
        sheets = "".join(
            f'<sheet name="{name.translate(_ESCAPES)}" sheetId="{at}" r:id="rId{at}"/>'
            for at, name in enumerate(self._names, start=1)
        )
        return (
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
            f"<sheets>{sheets}</sheets></workbook>"
        )

    def _workbook_relationships(self) -> str:
        sheets = [
            (f"{_RELATIONSHIPS}/worksheet", f"worksheets/sheet{at}.xml")
            for at in range(1, len(self._names) + 1)
        ]
        return _relationships([*sheets, (f"{_RELATIONSHIPS}/styles", "styles.xml")])

    def _content_types(self) -> str:
        sheets = "".join(
            f'<Override PartName="/xl/worksheets/sheet{at}.xml" ContentType="{_SHEET_TYPE}"/>'
            for at in range(1, len(self._names) + 1)
        )
        office = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        return (
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{office}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{office}.styles+xml"/>'
            f"{sheets}</Types>"
        )


def _relationships(targets: Sequence[tuple[str, str]]) -> str:
    items = "".join(
        f'<Relationship Id="rId{at}" Type="{kind}" Target="{target}"/>'
        for at, (kind, target) in enumerate(targets, start=1)
    )
    return f'{_HEAD}<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">{items}</Relationships>'
