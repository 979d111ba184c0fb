"""Web pages: the article body only, one line per paragraph, heading, list item or table row.

Steps: decode (BOM, then the page's declared charset, then `detect.decode`), parse with lxml, drop page
furniture (scripts, forms' widgets, `nav`/`aside`/`footer`, elements whose class or id names them as
navigation, share bar, comment box, related list... per `models/cues/page_furniture.txt`, hidden and
link-dense blocks), narrow to the article container, then walk it in reading order.

Why not trafilatura: on our sample pages it dropped the plan title (an `<h1>` above the content
`<div>`) and the first line of a `<br>`-separated plan, and turned `组　长` into `组 长`. Plans need
every short line (titles, `组长：…`, signature and date), so the extraction here favours recall:
it removes only what is recognisably furniture and keeps all else.

Tables are read like Word tables (`ingest/docx.py`): a data table gives one line per row, cells
joined by tabs and aligned to the grid (a `colspan` adds empty cells after the text, a cell covered by a
`rowspan` from above is empty); a layout table (nested tables, or one cell per row) is read as blocks.
"""
from __future__ import annotations

import codecs
import re
from functools import lru_cache

import lxml.html
from lxml import etree

from .. import lexicon, settings
from ..errors import InputError
from ..model import Block, RawText
from ..numerals import format_cn
from .detect import decode
from ..script import WIDE

# ---------------------------------------------------------------- decoding

_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# a declared charset and the supersets tried after it, as browsers do (a "gb2312" page is read as GBK...)
_FAMILIES = {"gb2312": ("gb2312", "gbk", "gb18030"), "gbk": ("gbk", "gb18030"), "gb18030": ("gb18030",),
             "big5": ("big5", "cp950", "big5hkscs"), "cp950": ("cp950", "big5hkscs"),
             "big5hkscs": ("big5hkscs",), "utf-8": ("utf-8",)}
_SNIFF_BYTES = 8192


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares (`<meta charset>`, `http-equiv` content, XML declaration), as a
    Python codec name, or None when absent or unknown."""
    head = data[:_SNIFF_BYTES]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if not m:
        return None
    try:
        return codecs.lookup(m.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def decode_html(data: bytes) -> tuple[str, str]:
    """Bytes of a page -> `(text, encoding used)`: a BOM wins; then valid UTF-8 with non-ASCII bytes, or
    the declared charset (or a superset of it) when the bytes decode strictly with it; else
    `detect.decode`. Declarations other than UTF-8, GB and Big5 (often a wrong `iso-8859-1`) are not
    trusted."""
    family = _FAMILIES.get(declared_charset(data) or "", ())
    if family and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # a page declaring GBK but sent as UTF-8 is a common CMS mistake; GBK text is never valid UTF-8
        # by chance. Pure ASCII decodes either way: then the declaration is reported.
        for enc in (() if data.isascii() else ("utf-8",)) + family:
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                continue
    return decode(data)


# ---------------------------------------------------------------- furniture

_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "frame", "frameset", "object", "embed",
              "svg", "canvas", "video", "audio", "map", "button", "input", "select", "textarea", "link", "meta")
_CHROME_TAGS = {"nav", "aside", "footer", "header", "menu", "dialog"}
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
LINK_DENSE = 0.6      # share of an element's characters inside links that makes it a link list...
LINK_COUNT = 3        # ...when it has at least this many links
NOT_WRAPPER = 0.5     # never drop an element holding more than this share of the page's text


def class_words(el) -> set[str]:
    """Lower-cased words of an element's class and id: `share-bar mainNav` -> {share, bar, main, nav}."""
    return {w.lower() for w in _WORDS.findall(f"{el.get('class') or ''} {el.get('id') or ''}")}


@lru_cache(maxsize=1)
def _furniture_words() -> frozenset[str]:
    return frozenset(lexicon.words("page_furniture", "chrome") + lexicon.words("page_furniture", "widgets"))


@lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    return frozenset(lexicon.words("page_furniture", "title"))


def _is_title(el) -> bool:
    """An element that may carry the page's title: `<h1>`, `<h2>` or a title class (`article-title`)."""
    return el.tag in ("h1", "h2") or bool(class_words(el) & _title_words())


def measure(root) -> dict:
    """Element -> (non-space characters, of them inside links, number of links), for every element."""
    sizes: dict = {}
    for el in reversed(list(root.iter(etree.Element))):   # children before parents
        chars, linked, links = _chars(el.text), 0, 0
        for child in el:
            c, lc, n = sizes.get(child, (0, 0, 0))
            chars, linked, links = chars + c + _chars(child.tail), linked + lc, links + n
        if el.tag == "a":
            linked, links = chars, links + 1
        sizes[el] = (chars, linked, links)
    return sizes


def _chars(s: str | None) -> int:
    return len(s) - sum(c.isspace() for c in s) if s else 0


def is_furniture(el, sizes: dict, total: int) -> bool:
    """Whether a body element is page furniture: a chrome tag, a furniture class/id, hidden, or a list of
    links. Never the element holding the page's `<h1>` or most of its text."""
    chars, linked, links = sizes.get(el, (0, 0, 0))
    named = el.tag in _CHROME_TAGS or bool(class_words(el) & _furniture_words())
    hidden = el.get("hidden") is not None or bool(_HIDDEN.search(el.get("style") or ""))
    link_list = links >= LINK_COUNT and linked >= LINK_DENSE * chars
    if not (named or hidden or link_list):
        return False
    if chars > NOT_WRAPPER * total:
        return False
    return next(el.iter("h1"), None) is None


def drop_furniture(body) -> None:
    """Remove scripts, widgets and furniture from `body` in place (tails of removed elements stay)."""
    for el in list(body.iter(*_DROP_TAGS)):
        el.drop_tree()
    sizes = measure(body)
    total = sizes[body][0]

    def prune(el):
        for child in list(el.iterchildren(etree.Element)):
            if is_furniture(child, sizes, total):
                child.drop_tree()
            else:
                prune(child)

    prune(body)


# ---------------------------------------------------------------- the article container

_DESCEND = {"div", "section", "article", "main", "center", "form", "font", "span"}
CONTAINER_SHARE = 0.8   # a child holding this share of its parent's text, with no text after it, is the article


def find_article(body) -> tuple[object, list]:
    """`(container, title elements)`: the innermost element that holds nearly all of the text with
    nothing after it (so a signature or date after the content is never cut off), and the title
    elements (`h1`, `h2`, title class) in front of it that the narrowing stepped over."""
    sizes = measure(body)
    node, titles = body, []
    while True:
        kids = [c for c in node.iterchildren(etree.Element) if sizes[c][0]]
        if not kids:
            break
        best = max(kids, key=lambda c: sizes[c][0])
        before = list(best.itersiblings(etree.Element, preceding=True))
        after = _chars(best.tail) + sum(sizes[c][0] + _chars(c.tail) for c in best.itersiblings(etree.Element))
        loose = _chars(node.text) + sum(_chars(c.tail) for c in before)     # bare text in front of it
        if best.tag not in _DESCEND or after or loose or sizes[best][0] < CONTAINER_SHARE * sizes[node][0]:
            break
        titles.extend(t for sibling in reversed(before) for t in _outer_titles(sibling))
        node = best
    return node, titles


def _outer_titles(el) -> list:
    """Title elements in `el` (itself included), outermost only, in document order."""
    found: list = []
    for d in el.iter(etree.Element):
        if _is_title(d) and not any(a in found for a in d.iterancestors()):
            found.append(d)
    return found


# ---------------------------------------------------------------- reading order

_BLOCK_TAGS = {"p", "div", "section", "article", "main", "center", "blockquote", "address", "header", "footer",
               "nav", "aside", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "td", "th", "tbody", "thead",
               "tfoot", "caption", "figure", "figcaption", "form", "fieldset", "legend", "details", "summary",
               "hr", "h1", "h2", "h3", "h4", "h5", "h6"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_WIDE = WIDE
# a line break in the source between two Chinese characters is no space (CSS segment-break rule)
_SOFT_BREAK = re.compile(rf"(?<=[{_WIDE}])[ \t\u00a0]*[\r\n][ \t\r\n\u00a0]*(?=[{_WIDE}])")
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0]+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
MAX_SPAN = 64   # cap on rowspan / colspan values


def clean_line(s: str) -> str:
    """Source text of one line -> its displayed text: runs of spaces as one, soft breaks between Chinese
    characters removed, ends stripped (`　` kept inside the line: `组　长`)."""
    return _SPACES.sub(" ", _SOFT_BREAK.sub("", _INVISIBLE.sub("", s))).strip()


class Writer:
    """Collects the lines of one walk: inline text goes to the open line; a block element closes it."""

    def __init__(self):
        self.lines: list[tuple[str, Block]] = []
        self.buf: list[str] = []
        self.context: list[dict] = [{"kind": "paragraph"}]
        self.tables = 0
        self.counts: dict = {}       # <ol> element -> number of its last item

    def flush(self) -> None:
        text = clean_line("".join(self.buf))
        self.buf.clear()
        if not text:
            return
        ctx = self.context[-1]
        marker = ctx.pop("marker", None)           # an <ol> number goes on the item's first line only
        self.lines.append((marker + text if marker else text,
                           Block(0, 0, kind=ctx["kind"], level=ctx.get("level"), marker=marker)))

    def walk(self, el) -> None:
        """Append the lines of `el` (its tail is the caller's)."""
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "br":
            self.flush()
        elif tag == "table" and data_table(el):
            self.flush()
            for caption in el.iterchildren("caption"):
                self.walk(caption)
            self.read_table(el)
        elif tag == "pre":
            self.flush()
            for line in el.text_content().splitlines():
                self.buf.append(line)
                self.flush()
        elif tag in _BLOCK_TAGS:
            self.flush()
            self.context.append(self.open_context(el))
            self.walk_inside(el)
            self.flush()
            self.context.pop()
        else:
            self.walk_inside(el)

    def walk_inside(self, el) -> None:
        """Append the text and children of `el`, not the element's own block boundaries."""
        if el.text and isinstance(el.tag, str):
            self.buf.append(el.text)
        for child in el:
            self.walk(child)
            if child.tail:
                self.buf.append(child.tail)

    def read_table(self, table) -> None:
        """A data table -> one `table_row` line per non-empty row, cells aligned to the grid."""
        index, self.tables = self.tables, self.tables + 1
        below: dict[int, int] = {}        # column -> rows a rowspan from above still covers
        for tr in table_rows(table):
            cells: list[str] = []
            merged: list[int] = []
            tds = list(tr.iterchildren("td", "th"))
            while tds or any(n > 0 and col >= len(cells) for col, n in below.items()):
                col = len(cells)
                if below.get(col, 0) > 0:          # covered by a rowspan from above
                    below[col] -= 1
                    merged.append(col)
                    cells.append("")
                elif tds:
                    td = tds.pop(0)
                    rows, cols = _span(td, "rowspan"), _span(td, "colspan")
                    if rows > 1:
                        below.update(dict.fromkeys(range(col, col + cols), rows - 1))
                    cells += [cell_text(td)] + [""] * (cols - 1)
                else:                              # a gap before a covered column further right
                    cells.append("")
            if any(cells):
                self.lines.append(("\t".join(cells), Block(0, 0, kind="table_row", table=index, cells=[],
                                                            merged=merged or None)))

    def open_context(self, el) -> dict:
        """The kind of the lines a block element opens: its own for headings and list items (with the
        number a browser draws before an `<ol>` item), else its parent's."""
        if el.tag in _HEADINGS:
            return {"kind": "heading", "level": _HEADINGS[el.tag]}
        if el.tag != "li":
            return self.context[-1]
        lists = list(el.iterancestors("ul", "ol"))
        ctx = {"kind": "list_item", "level": max(len(lists) - 1, 0)}
        if lists and lists[0].tag == "ol":
            ol = lists[0]
            n = _int(el.get("value"), self.counts.get(ol, _int(ol.get("start"), 1) - 1) + 1)
            self.counts[ol] = n
            style = f"{ol.get('type') or ''} {ol.get('style') or ''}".lower()
            ctx["marker"] = f"{format_cn(n)}、" if "cjk" in style or "chinese" in style else f"{n}."
        return ctx


def _int(s: str | None, default: int) -> int:
    s = (s or "").strip()
    return int(s) if s.isdigit() else default


def _span(td, attr: str) -> int:
    return min(max(_int(td.get(attr), 1), 1), MAX_SPAN)


def table_rows(table) -> list:
    """The `<tr>` elements of this table (not of tables nested in it)."""
    return [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]


def data_table(table) -> bool:
    """A table of data (one row per line), as opposed to a layout table (read as blocks): no nested
    table and at least two cells in some row."""
    if any(t is not table for t in table.iter("table")):
        return False
    return any(len(tr.findall("td") + tr.findall("th")) > 1 for tr in table_rows(table))


def cell_text(td) -> str:
    """A cell's text on one line: its paragraphs and `<br>` lines joined by spaces."""
    w = Writer()
    w.walk(td)
    return " ".join(text for text, _ in w.lines)


# ---------------------------------------------------------------- the reader


def parse_html(text: str):
    """Decoded page -> its `<body>` element; `InputError("corrupt_html")` when there is none."""
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", text.lstrip("\ufeff"), count=1),
                                             parser=parser)
    except (etree.ParserError, ValueError) as e:
        raise InputError("corrupt_html", f"cannot be parsed: {e}") from None
    body = root.find(".//body")
    if body is None:
        raise InputError("corrupt_html", "no <body> (a frameset page?)")
    return body


def read_html(data: bytes) -> RawText:
    """Bytes of a web page -> the article's text (a line per paragraph, heading, list item or table row)
    and one Block per line; `InputError("corrupt_html")` when no readable body is found, `too_large` for a
    page over `settings.MAX_HTML_BYTES` (its parse tree would take ~10x that in memory)."""
    if len(data) > settings.MAX_HTML_BYTES:
        raise InputError("too_large", f"a page of {len(data):,} bytes > limit {settings.MAX_HTML_BYTES:,} "
                                      "(PLANS_MAX_HTML_BYTES)")
    text, encoding = decode_html(data)
    body = parse_html(text)
    drop_furniture(body)
    container, titles = find_article(body)
    w = Writer()
    for title in titles:
        if title.tag not in _HEADINGS:
            w.context.append({"kind": "heading", "level": 1})
        w.walk(title)
        w.flush()
        if title.tag not in _HEADINGS:
            w.context.pop()
    w.walk_inside(container)
    w.flush()
    if not w.lines:
        raise InputError("corrupt_html", "no readable text in the page body")
    return RawText(text=_join(w.lines), format="html", encoding=encoding, blocks=[b for _, b in w.lines])


def _join(lines: list[tuple[str, Block]]) -> str:
    """Join lines with `\\n`, setting each block's span (and table cells' spans) as it goes."""
    out, pos = [], 0
    for text, block in lines:
        block.start, block.end = pos, pos + len(text)
        if block.kind == "table_row":
            for cell in text.split("\t"):
                block.cells.append((pos, pos + len(cell)))
                pos += len(cell) + 1
        out.append(text)
        pos = block.end + 1
    return "\n".join(out)


def read_mhtml(data: bytes) -> RawText:
    """Bytes of a saved page archive (.mht / .mhtml, MIME multipart/related) -> its HTML part read as a page;
    the part's declared charset decodes it. `corrupt_html` when the archive holds no HTML part."""
    import email
    import email.policy

    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() != "text/html":
            continue
        payload = part.get_payload(decode=True) or b""
        charset = part.get_content_charset()
        try:
            codec = codecs.lookup(charset).name if charset else None
        except LookupError:
            codec = None
        if codec:
            try:  # re-encoded with a BOM, so the part's charset wins over a missing or wrong <meta>
                raw = read_html(codecs.BOM_UTF8 + payload.decode(codec).encode("utf-8"))
                raw.encoding = codec
                return raw
            except UnicodeDecodeError:
                pass
        return read_html(payload)
    raise InputError("corrupt_html", "a MIME page archive (.mht) without an HTML part")
