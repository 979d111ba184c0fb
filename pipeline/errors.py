"""Errors about one input file (bad input, not a defect), one code each.

A reader raises `InputError(code, detail)`; `run` records it for that file and goes on with the rest.
"""
from __future__ import annotations

# exit codes of `plans` (and `RunResult.code`)
EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_NOTHING, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

# code -> what it means; the manifest and stderr carry the code and a message naming the file.
CODES = {
    "unreadable": "the file cannot be read",
    "empty": "the file is empty",
    "too_large": "the file is larger than the configured limit",
    "binary": "the file is binary, not text",
    "undecodable": "the bytes decode in none of the supported encodings",
    "unsupported_format": "the file's format is not supported",
    "corrupt_docx": "the .docx file is damaged or not a Word document",
    "unsafe_docx": "the .docx file is refused as unsafe (zip bomb, external entities)",
    "encrypted": "the document is protected by a password",
    "converter_missing": "the converter this format needs (LibreOffice) is not installed",
    "conversion_failed": "the converter failed on the file (crashed, timed out or produced nothing)",
    "corrupt_image": "the image is damaged or not an image",
    "corrupt_spreadsheet": "the spreadsheet is damaged or not a workbook",
    "unsafe_xlsx": "the .xlsx file is refused as unsafe (zip bomb, XML declarations)",
    "ocr_unavailable": "the OCR engine is not installed",
    "corrupt_pdf": "the .pdf file is damaged",
    "no_text_layer": "the PDF has no usable text layer (scanned image?)",
    "corrupt_html": "the page has no readable body",
    "no_plan": "no plan text was found (only boilerplate or nothing)",
    "not_found": "no such file or folder, or the pattern matched nothing",
    "internal_error": "the pipeline failed on this file (a defect: please report it)",
}


class InputError(Exception):
    """A specific, expected problem with one input file."""

    def __init__(self, code: str, detail: str = ""):
        if code not in CODES:
            raise ValueError(f"unknown input error code {code!r}")
        self.code = code
        self.detail = detail
        super().__init__(f"{CODES[code]}{': ' + detail if detail else ''}")
