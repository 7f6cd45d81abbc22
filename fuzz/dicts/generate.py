#!/usr/bin/env python3
"""Writes the libFuzzer dictionaries fuzz/dicts/{xml,spreadsheet,csv,datetime}.dict.

    python3 fuzz/dicts/generate.py

Derived from the repository's EMA field dictionaries (schemas/dictionaries/*.json:
field names, categories, enumerations, aliases) and, when present, from the
MovieLabs reference files (../shared/reference/movielabs, or
$AVAILCHECK_SHARED/reference/movielabs: element and attribute names and target
namespaces of the avails and md XSDs, vocabularies, Term names) and the XML
samples (the md elements they use). The generated files are committed; run this
again when the dictionaries or references change. Standard library only.
"""

import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SHARED = os.environ.get("AVAILCHECK_SHARED", os.path.join(ROOT, "..", "shared"))
MOVIELABS = os.path.join(SHARED, "reference", "movielabs")
SAMPLES = os.path.join(SHARED, "samples")

# Start/End and other date forms the readers and rules parse.
DATES = [
    "2027-01-01", "2027-01-01T00:00:00", "2027-01-01T00:00:00Z", "2027-01-01T23:59:59Z",
    "2027-01-01T00:00:00+05:30", "2027-01-01T00:00:00-08:00", "2027-01-01T00:00:00.000Z",
    "2027-01-01 00:00:00", "2026-12-31T24:00:00", "2024-02-29", "9999-12-31",
    "T00:00:00", "T23:59:59", "+05:30", "-08:00", "+00:00", "Z", ".000",
    "Open", "Immediate", "open", "immediate",
    # Excel serial dates (1900 system; 60 is the phantom 1900-02-29), times of day.
    "45000", "45000.5", "47484", "2958465", "2958466", "60", "61", "0.5", "-1",
    # xs:duration and lead-time forms.
    "P30D", "PT48H", "P1Y2M3DT4H5M6S", "P", "PT", "P0D", "14d", "2w", "48h",
]

# Number formats (xlsx numFmt formatCode, ods number styles) that decide
# whether a number is a date, a time or a duration.
NUMBER_FORMATS = [
    "yyyy-mm-dd", "yyyy-mm-dd hh:mm", "yyyy-mm-dd hh:mm:ss", "d/m/yyyy", "m/d/yy h:mm",
    "mm-dd-yy", "d-mmm-yy", "dd/mm/yyyy hh:mm", "[h]:mm:ss", "[mm]:ss", "h:mm AM/PM",
    "hh:mm:ss", "0.00", "0", "#,##0.00", "@", "General", "\"Date\"yyyy", "[$-409]yyyy",
    "[Red]0.00", "0%", "0.00E+00",
]

# Built-in number format ids that are dates or times.
BUILTIN_FORMAT_IDS = ["14", "15", "16", "17", "18", "19", "20", "21", "22", "45", "46", "47", "49"]

XLSX_TOKENS = [
    '<row r="', '<row>', '</row>', '<c r="', '<c>', '</c>', ' t="s"', ' t="str"', ' t="inlineStr"',
    ' t="n"', ' t="b"', ' t="e"', ' t="d"', ' s="', '<v>', '</v>', '<f>', '</f>', '<is><t>',
    '</t></is>', '<t>', '</t>', '<t xml:space="preserve">', '<si>', '</si>', '<r><t>', '<rPh>',
    '<numFmt numFmtId="', '" formatCode="', '<xf numFmtId="', ' applyNumberFormat="1"',
    '<dimension ref="', 'A1:', 'XFD1048576', 'XFD', '1048576', '<sheetData>', '</sheetData>',
    '<sheetData/>', '<worksheet', '<sst', ' count="', ' uniqueCount="', '<sheet name="',
    ' state="hidden"', 'date1904', '#N/A', '#DIV/0!', '#VALUE!', '#REF!', 'TRUE', 'FALSE',
    # The part separator of the structure-aware targets (fuzz_targets/parts.rs).
    b"\xff",
]

ODS_TOKENS = [
    '<table:table table:name="', '</table:table>', '<table:table-row>', '</table:table-row>',
    '<table:table-cell', '</table:table-cell>', '<table:table-cell/>',
    ' office:value-type="string"', ' office:value-type="float"', ' office:value-type="date"',
    ' office:value-type="time"', ' office:value-type="boolean"', ' office:value-type="percentage"',
    ' office:value-type="currency"', ' office:value="', ' office:date-value="',
    ' office:time-value="', ' office:boolean-value="', ' office:string-value="',
    ' table:number-columns-repeated="', ' table:number-rows-repeated="', ' table:formula="of:=',
    ' table:style-name="', '<text:p>', '</text:p>', '<text:s/>', '<text:line-break/>',
    '<number:date-style style:name="', '<style:style style:name="', ' style:data-style-name="',
    'PT48H00M00S',
]

XML_SYNTAX = [
    '<?xml version="1.0" encoding="UTF-8"?>', '<?xml', '?>', 'encoding="UTF-16"',
    'standalone="yes"', '<!--', '-->', '<![CDATA[', ']]>', '<!DOCTYPE', '<!ENTITY', 'SYSTEM',
    '&amp;', '&lt;', '&gt;', '&quot;', '&apos;', '&#x', '&#', 'xml:lang="', 'xml:space="preserve"',
    'xmlns="', 'xmlns:avails="', 'xmlns:md="', 'xmlns:mdmec="', 'xmlns:xsi="',
    'http://www.w3.org/2001/XMLSchema-instance', 'xsi:type="', 'xsi:schemaLocation="',
    'xsi:nil="true"', '/>', '</',
]

SHEET_NAMES = ["Movies", "TV", "Avails", "FAQ", "Instructions", "Dictionary", "Episodes", "Series", "Film"]

TEXT_TOKENS = [
    "//", "//Required", "US", "GB", "FR", "en", "en-US", "fr-CA", "en:audio", "fr:subtitle",
    "USD", "GBP", "EUR", "CPH", "acme", "md:alid:org:acme:", "md:cid:org:acme:", "Yes", "No",
    "1.6", "1.7", "1.7.2", "1.7.3", "1.8", "1.9", "Template Version", "Version Number",
    "=", '="', "4.99", "$4.99", "1,000.00",
]


def escape(token):
    """A token (text, or bytes as they are) in libFuzzer's dictionary syntax:
    printable ASCII, else \\xNN."""
    out = []
    for b in token if isinstance(token, bytes) else token.encode("utf-8"):
        c = chr(b)
        if c in '\\"':
            out.append("\\" + c)
        elif 0x20 <= b < 0x7F:
            out.append(c)
        else:
            out.append("\\x%02X" % b)
    return '"' + "".join(out) + '"'


def write(name, groups):
    seen = set()
    lines = [
        "# libFuzzer dictionary for the %s fuzz target(s)." % name,
        "# Generated by fuzz/dicts/generate.py; do not edit by hand.",
    ]
    for title, tokens in groups:
        lines.append("")
        lines.append("# " + title)
        for t in tokens:
            if t and t not in seen:
                seen.add(t)
                lines.append(escape(t))
    path = os.path.join(HERE, name + ".dict")
    with open(path, "w", encoding="ascii") as f:
        f.write("\n".join(lines) + "\n")
    print("%-20s %4d tokens" % (os.path.relpath(path, ROOT), len(seen)))


def ema():
    """Field names, categories and enumeration values of every template version."""
    fields, categories, values = [], [], []
    for path in sorted(glob.glob(os.path.join(ROOT, "schemas", "dictionaries", "ema-*.json"))):
        doc = json.load(open(path, encoding="utf-8"))
        for f in doc["fields"]:
            fields.append(f["name"])
            categories.append(f.get("category") or "")
            values.extend(f.get("values") or [])
    aliases = json.load(open(os.path.join(ROOT, "schemas", "dictionaries", "aliases.json")))
    fields.extend(aliases["aliases"].keys())
    return sorted(set(fields)), sorted(set(categories)), sorted(set(values))


def xsd():
    """Avails and md element and attribute names, and target namespaces."""
    avails_el, md_el, attrs, namespaces = set(), set(), set(), set()
    if not os.path.isdir(MOVIELABS):
        print("note: %s not found; XML names from the XSDs are left out" % MOVIELABS, file=sys.stderr)
        return [], [], [], []
    for path in glob.glob(os.path.join(MOVIELABS, "*.xsd")):
        text = open(path, encoding="utf-8").read()
        names = set(re.findall(r'<xs:element name="([A-Za-z0-9_]+)"', text))
        if os.path.basename(path).startswith("avails-"):
            avails_el |= names
        elif os.path.basename(path).startswith("md-"):
            md_el |= names
        attrs |= set(re.findall(r'<xs:attribute name="([A-Za-z0-9_]+)"', text))
        namespaces |= set(re.findall(r'targetNamespace="([^"]+)"', text))
    # mdmec namespaces are not in the reference set; the samples use these.
    namespaces |= {"http://www.movielabs.com/schema/mdmec/v2.%d" % v for v in range(3, 11)}
    return sorted(avails_el), sorted(md_el), sorted(attrs), sorted(namespaces)


def vocab():
    """Vocabulary values and Term names of the MovieLabs validator's data files."""
    values, terms = set(), set()
    for path in glob.glob(os.path.join(MOVIELABS, "vocab_*.json")):
        for section in json.load(open(path, encoding="utf-8")).values():
            if isinstance(section, dict):
                for v in section.values():
                    if isinstance(v, list):
                        values |= {x for x in v if isinstance(x, str)}
    for path in glob.glob(os.path.join(MOVIELABS, "structure_avail_*.json")):
        terms |= set(re.findall(r"termName='([A-Za-z]+)'", open(path, encoding="utf-8").read()))
    for path in glob.glob(os.path.join(SAMPLES, "*", "*.xml")) + glob.glob(os.path.join(SAMPLES, "*", "*", "*.xml")):
        terms |= set(re.findall(r'termName="([A-Za-z-]+)"', open(path, encoding="utf-8").read()))
    return sorted(values), sorted(terms)


def md_used():
    """md elements the XML samples use (the md XSDs define hundreds more)."""
    used = set()
    for path in glob.glob(os.path.join(SAMPLES, "*", "*.xml")) + glob.glob(os.path.join(SAMPLES, "*", "*", "*.xml")):
        used |= set(re.findall(r"<md:([A-Za-z0-9_]+)", open(path, encoding="utf-8").read()))
    return sorted(used)


def main():
    fields, categories, enum_values = ema()
    avails_el, md_el, attrs, namespaces = xsd()
    vocab_values, terms = vocab()
    md_in_samples = [e for e in md_used() if not md_el or e in md_el]

    write("xml", [
        ("XML syntax and namespaces declarations", XML_SYNTAX),
        ("Target namespaces of the avails and md XSDs", namespaces),
        ("Avails elements (all versions)", [t for e in avails_el for t in (e, "<avails:%s>" % e, "</avails:%s>" % e)]),
        ("md elements the samples use", [t for e in md_in_samples for t in ("<md:%s>" % e, "</md:%s>" % e)]),
        ("Attributes", ['%s="' % a for a in attrs]),
        ("Term names", terms + ['termName="%s"' % t for t in terms]),
        ("Vocabulary values", vocab_values),
        ("EMA enumeration values", enum_values),
        ("Dates, date-times, durations", DATES),
        ("Other values", TEXT_TOKENS),
    ])
    write("spreadsheet", [
        ("EMA field names (all versions, with aliases)", fields),
        ("EMA categories (row 1)", categories),
        ("EMA enumeration values", enum_values),
        ("Sheet names", SHEET_NAMES),
        ("Dates, date-times, durations", DATES),
        ("Number formats", NUMBER_FORMATS + ['formatCode="%s"' % f.replace('"', "&quot;") for f in NUMBER_FORMATS]),
        ("Built-in date and time number format ids", ['numFmtId="%s"' % i for i in BUILTIN_FORMAT_IDS]),
        ("xlsx sheet, shared strings, styles and workbook XML", XLSX_TOKENS),
        ("ods content.xml", ODS_TOKENS),
        ("Other values", TEXT_TOKENS),
    ])
    write("csv", [
        ("EMA field names (all versions, with aliases)", fields),
        ("EMA categories (row 1)", categories),
        ("EMA enumeration values", enum_values),
        ("Dates, date-times, durations", DATES),
        ("Quoting, delimiters, line ends, byte-order marks", [
            '"', '""', ',', ';', '\t', '\r\n', '\n', '\r', ',"', '",', '"\r\n', b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff",
        ]),
        ("Windows-1252 bytes", [b"\x80", b"\x93", b"\x94", b"\x97", b"\xe9"]),
        ("Other values", TEXT_TOKENS),
    ])
    write("datetime", [
        ("Dates, date-times, durations", DATES),
        ("Pieces", ["T", "Z", "-", ":", "+", ".", " ", "P", "PT", "Y", "M", "W", "D", "H", "S", "24:00:00", "00:00:00", "59:60", "02-29", "12-31", "0000", "9999"]),
    ])


if __name__ == "__main__":
    main()
