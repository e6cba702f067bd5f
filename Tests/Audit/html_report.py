#!/usr/bin/env python3
"""Reads a printed treatment record (trillium report --format html) the way an
archive would: strictly, as XML, and again with Python's HTML parser. Prints
what it found as JSON, for the tests to check against the session's log.

Exit 0 when both parsers accept the file, 1 (with the parser's message) when not.
"""
import html.parser
import json
import sys
import xml.etree.ElementTree as ET

XHTML = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"


class Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = set()
        self.external = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            if name in ("src", "href") and value and not value.startswith("#"):
                self.external.append(value)


def text_of(element):
    return "".join(element.itertext())


def main(path):
    with open(path, encoding="utf-8") as f:
        source = f.read()
    try:
        root = ET.fromstring(source)
    except ET.ParseError as error:
        print(f"{path}: not well-formed: {error}")
        return 1
    tags = Tags()
    tags.feed(source)
    tags.close()
    sections = {}
    for section in root.iter(XHTML + "section"):
        title = text_of(section.find(XHTML + "h2"))
        rows = [[text_of(cell) for cell in row] for row in section.iter(XHTML + "tr")]
        facts = dict(zip([text_of(d) for d in section.iter(XHTML + "dt")], [text_of(d) for d in section.iter(XHTML + "dd")]))
        sections[title] = {"rows": rows, "facts": facts}
    zones = {}
    for group in root.iter(SVG + "g"):
        if group.get("data-zone"):
            shape = next((child for child in group if child.tag in (SVG + "rect", SVG + "ellipse")), None)
            zones[group.get("data-zone")] = {
                "planned": "planned" in group.get("class", "").split(),
                "fill": shape.get("fill") if shape is not None else None,
                "labels": [text_of(t) for t in group.iter(SVG + "text")],
            }
    print(json.dumps({
        "root": root.tag,
        "tags": sorted(tags.tags),
        "external": tags.external,
        "title": text_of(root.find(XHTML + "head").find(XHTML + "title")),
        "sections": sections,
        "zones": zones,
        "svg_count": len(list(root.iter(SVG + "svg"))),
        "footer": text_of(root.find(XHTML + "body").find(XHTML + "footer")),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
