"""Build templates/assets/reference.docx, the style sheet of every DOCX diplobrief writes.

pandoc takes styles, page set-up, headers and footers from a reference document.
This script starts from pandoc's own default reference (so every style pandoc uses
exists) and sets the house style: A4 with the print margins, Times New Roman body
and Arial headings (metric-compatible Liberation fonts stand in on Linux), the
colours of the PDF, a header-column table style, and header and footer parts whose
content diplobrief fills in per document (marking, running title, page fields).

The output is byte-identical for the same pandoc version: run it again after
upgrading pypandoc_binary and commit the result (tests/test_docx.py checks this).
The document's language is not set here: pandoc writes it from the ``lang``
metadata into the styles' defaults, per document.

    python scripts/reference_docx.py
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from diplobrief.docx import PAGE, W, deterministic_zip, pandoc_path  # noqa: E402

TARGET = ROOT / "templates" / "assets" / "reference.docx"
NS = {"w": W}
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
WORD_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"

NAVY = "0B2A4A"
RULE = "B9C3CD"
TEXT_WIDTH = PAGE["text_width"]
SANS = '<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial" w:eastAsia="Arial"/>'
SERIF = (
    '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"'
    ' w:eastAsia="Times New Roman"/>'
)
BORDERS = "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)
# The styles pandoc uses (replaced) and diplobrief's own (added): Classification (the
# marking in the body), Header Column (first column of the header block), Separator.
STYLES = f"""<w:styles xmlns:w="{W}">
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>
  <w:qFormat/><w:pPr><w:spacing w:after="0"/></w:pPr>
  <w:rPr>{SERIF}<w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="BodyText"><w:name w:val="Body Text"/>
  <w:basedOn w:val="Normal"/><w:qFormat/>
  <w:pPr><w:spacing w:before="0" w:after="120" w:line="276" w:lineRule="auto"/>
  <w:jc w:val="both"/></w:pPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="FirstParagraph">
  <w:name w:val="First Paragraph"/><w:basedOn w:val="BodyText"/><w:qFormat/></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="Compact"><w:name w:val="Compact"/>
  <w:basedOn w:val="BodyText"/><w:qFormat/>
  <w:pPr><w:spacing w:before="0" w:after="60"/><w:jc w:val="left"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/>
  <w:basedOn w:val="Normal"/><w:next w:val="BodyText"/><w:qFormat/>
  <w:pPr><w:keepNext/><w:spacing w:before="0" w:after="240"/></w:pPr>
  <w:rPr>{SANS}<w:b/><w:bCs/><w:color w:val="{NAVY}"/><w:sz w:val="32"/><w:szCs w:val="32"/>
  </w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/>
  <w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="0" w:after="480"/></w:pPr>
  <w:rPr>{SANS}<w:sz w:val="26"/><w:szCs w:val="26"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>
  <w:basedOn w:val="Normal"/><w:next w:val="BodyText"/><w:qFormat/>
  <w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="320" w:after="120"/>
  <w:pBdr><w:bottom w:val="single" w:sz="4" w:space="2" w:color="9AA9B8"/></w:pBdr>
  <w:outlineLvl w:val="0"/></w:pPr>
  <w:rPr>{SANS}<w:b/><w:bCs/><w:color w:val="{NAVY}"/><w:sz w:val="26"/><w:szCs w:val="26"/>
  </w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/>
  <w:basedOn w:val="Normal"/><w:next w:val="BodyText"/><w:qFormat/>
  <w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="240" w:after="80"/>
  <w:outlineLvl w:val="1"/></w:pPr>
  <w:rPr>{SANS}<w:b/><w:bCs/><w:color w:val="{NAVY}"/><w:sz w:val="23"/><w:szCs w:val="23"/>
  </w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/>
  <w:basedOn w:val="Normal"/><w:next w:val="BodyText"/><w:qFormat/>
  <w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="200" w:after="60"/>
  <w:outlineLvl w:val="2"/></w:pPr>
  <w:rPr>{SANS}<w:b/><w:bCs/><w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/>
  <w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="40"/></w:pPr>
  <w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/>
  <w:basedOn w:val="Normal"/><w:qFormat/>
  <w:pPr><w:tabs><w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs></w:pPr>
  <w:rPr>{SANS}<w:color w:val="555555"/><w:sz w:val="15"/><w:szCs w:val="15"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/>
  <w:basedOn w:val="Normal"/><w:qFormat/>
  <w:pPr><w:tabs><w:tab w:val="center" w:pos="{TEXT_WIDTH // 2}"/>
  <w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs></w:pPr>
  <w:rPr>{SANS}<w:color w:val="555555"/><w:sz w:val="15"/><w:szCs w:val="15"/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="Classification">
  <w:name w:val="Classification"/><w:basedOn w:val="Normal"/><w:qFormat/>
  <w:pPr><w:keepNext/><w:spacing w:before="200" w:after="160"/></w:pPr>
  <w:rPr>{SANS}<w:b/><w:bCs/><w:spacing w:val="12"/><w:sz w:val="18"/><w:szCs w:val="18"/>
  </w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="HeaderColumn">
  <w:name w:val="Header Column"/><w:basedOn w:val="Compact"/><w:qFormat/>
  <w:rPr>{SANS}<w:b/><w:bCs/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="TOCHeading"><w:name w:val="TOC Heading"/>
  <w:basedOn w:val="Heading1"/><w:next w:val="BodyText"/><w:qFormat/>
  <w:pPr><w:pBdr/><w:outlineLvl w:val="9"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/>
  <w:basedOn w:val="Normal"/><w:qFormat/>
  <w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs>
  <w:spacing w:after="60"/></w:pPr><w:rPr><w:sz w:val="19"/><w:szCs w:val="19"/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="Separator">
  <w:name w:val="Separator"/><w:basedOn w:val="Normal"/><w:qFormat/>
  <w:pPr><w:pBdr><w:bottom w:val="single" w:sz="4" w:space="1" w:color="9AA9B8"/></w:pBdr>
  <w:spacing w:before="120" w:after="120"/></w:pPr></w:style>
<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/>
  <w:basedOn w:val="DefaultParagraphFont"/><w:qFormat/><w:rPr><w:b/><w:bCs/></w:rPr></w:style>
<w:style w:type="character" w:styleId="Emphasis"><w:name w:val="Emphasis"/>
  <w:basedOn w:val="DefaultParagraphFont"/><w:qFormat/><w:rPr><w:i/><w:iCs/></w:rPr></w:style>
<w:style w:type="table" w:default="1" w:styleId="Table"><w:name w:val="Table"/>
  <w:basedOn w:val="TableNormal"/><w:qFormat/><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>
  <w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>{BORDERS}</w:tblBorders>
  <w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="100" w:type="dxa"/>
  <w:bottom w:w="40" w:type="dxa"/><w:right w:w="100" w:type="dxa"/></w:tblCellMar></w:tblPr>
  <w:tblStylePr w:type="firstCol"><w:rPr><w:b/><w:bCs/></w:rPr>
  <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="EEF2F6"/></w:tcPr></w:tblStylePr></w:style>
</w:styles>"""


def _styles(data: bytes) -> bytes:
    root = etree.fromstring(data)
    parser = etree.XMLParser(remove_blank_text=True)
    for new in etree.fromstring(STYLES, parser):
        style_id = new.get(f"{{{W}}}styleId")
        old = root.find(f"w:style[@w:styleId='{style_id}']", NS)
        if old is not None:
            old.addprevious(new)
            root.remove(old)
        else:
            root.append(new)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _part(tag: str, style: str) -> bytes:
    """An empty header or footer; diplobrief writes its content for each document."""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{tag} xmlns:w="{W}" '
        f'xmlns:r="{R}"><w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr></w:p></w:{tag}>'
    ).encode()


def _section() -> str:
    refs = "".join(
        f'<w:{kind}Reference w:type="{which}" r:id="rIdDb{kind.title()}{which.title()}"/>'
        for kind in ("header", "footer")
        for which in ("default", "first")
    )
    return (
        f"<w:sectPr>{refs}"
        f'<w:pgSz w:w="{PAGE["width"]}" w:h="{PAGE["height"]}"/>'
        f'<w:pgMar w:top="{PAGE["top"]}" w:right="{PAGE["right"]}" w:bottom="{PAGE["bottom"]}"'
        f' w:left="{PAGE["left"]}" w:header="{PAGE["header"]}" w:footer="{PAGE["footer"]}"'
        ' w:gutter="0"/></w:sectPr>'
    )


def _document(data: bytes) -> bytes:
    root = etree.fromstring(data)
    body = root.find("w:body", NS)
    assert body is not None
    old = body.find("w:sectPr", NS)
    if old is not None:
        body.remove(old)
    body.append(
        etree.fromstring(
            _section().replace("<w:sectPr>", f'<w:sectPr xmlns:w="{W}" xmlns:r="{R}">')
        )
    )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _rels(data: bytes) -> bytes:
    root = etree.fromstring(data)
    for rel in list(root):
        if rel.get("TargetMode") == "External":
            root.remove(rel)
    for kind in ("header", "footer"):
        for which in ("default", "first"):
            number = 1 if which == "default" else 2
            etree.SubElement(
                root,
                f"{{{REL}}}Relationship",
                Id=f"rIdDb{kind.title()}{which.title()}",
                Type=f"{R}/{kind}",
                Target=f"{kind}{number}.xml",
            )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _content_types(data: bytes) -> bytes:
    root = etree.fromstring(data)
    for kind in ("header", "footer"):
        for number in (1, 2):
            etree.SubElement(
                root,
                f"{{{CT}}}Override",
                PartName=f"/word/{kind}{number}.xml",
                ContentType=f"{WORD_CT}.{kind}+xml",
            )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def build() -> bytes:
    default = subprocess.run(
        [pandoc_path(), "--print-default-data-file", "reference.docx"],
        check=True,
        capture_output=True,
    ).stdout
    parts: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(default)) as archive:
        for name in archive.namelist():
            parts[name] = archive.read(name)
    parts["word/styles.xml"] = _styles(parts["word/styles.xml"])
    parts["word/document.xml"] = _document(parts["word/document.xml"])
    parts["word/_rels/document.xml.rels"] = _rels(parts["word/_rels/document.xml.rels"])
    parts["[Content_Types].xml"] = _content_types(parts["[Content_Types].xml"])
    for number in (1, 2):
        parts[f"word/header{number}.xml"] = _part("hdr", "Header")
        parts[f"word/footer{number}.xml"] = _part("ftr", "Footer")
    return deterministic_zip(parts, (1980, 1, 1, 0, 0, 0))


if __name__ == "__main__":
    TARGET.write_bytes(build())
    print(f"wrote {TARGET} ({TARGET.stat().st_size} bytes)")
