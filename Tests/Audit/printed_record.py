#!/usr/bin/env python3
"""Prints a treatment record (trillium report --format html) to PDF with a
real browser (headless Chromium) and reads the PDF back with poppler's
pdftotext, as a clinic printing it would see it.

usage: printed_record.py RECORD.html
Prints JSON: the text of every page as laid out, every word with its box,
and the pairs of words whose boxes overlap (labels drawn over each other).
Exit 0 when the record printed, 2 when Chromium or pdftotext is missing or
failed (a clear message on stderr).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET


def run(arguments, **kw):
    return subprocess.run(arguments, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120, **kw)


def main(path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser or not shutil.which("pdftotext"):
        print("printed_record: needs chromium and pdftotext (Debian: chromium, poppler-utils)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as work:
        pdf = os.path.join(work, "record.pdf")
        result = run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                      f"--user-data-dir={work}/profile", f"--print-to-pdf={pdf}", "file://" + os.path.abspath(path)],
                     env={**os.environ, "HOME": work})
        if not os.path.exists(pdf):
            print(f"printed_record: chromium made no PDF: {result.stderr.decode(errors='replace')[-600:]}", file=sys.stderr)
            return 2
        layout = run(["pdftotext", "-layout", pdf, "-"]).stdout.decode()
        bbox = os.path.join(work, "words.html")
        run(["pdftotext", "-bbox", pdf, bbox])
        words = []
        root = ET.parse(bbox).getroot()
        page_number = 0
        for page in root.iter("{http://www.w3.org/1999/xhtml}page"):
            page_number += 1
            for word in page.iter("{http://www.w3.org/1999/xhtml}word"):
                box = [float(word.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")]
                words.append({"page": page_number, "text": word.text or "", "box": box})
        overlaps = []
        for i, a in enumerate(words):
            for b in words[i + 1:]:
                if a["page"] != b["page"]:
                    continue
                (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = a["box"], b["box"]
                width = min(ax1, bx1) - max(ax0, bx0)
                height = min(ay1, by1) - max(ay0, by0)
                # More than a hair in both directions: one word drawn over another.
                if width > 1.0 and height > 1.0:
                    overlaps.append([a["text"], b["text"], a["page"]])
        print(json.dumps({"pages": page_number, "text": layout, "overlaps": overlaps, "words": len(words)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
