# -*- coding: utf-8 -*-
"""Checks the held-out gold against its documents: JSON, grounding, spans, encodings, script; lists candidate
dates and rule sentences so nothing is left out by accident."""
import html
import json
import re
import sys
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import docx
import opencc
import openpyxl

ROOT = Path(__file__).resolve().parent.parent
T2S = opencc.OpenCC("t2s").convert
HK2S = opencc.OpenCC("hk2s").convert
S2T = opencc.OpenCC("s2t").convert
_KEEP = re.compile(r"[\w\u3400-\u9fff]+")


def canon(s, fn=T2S):  # as tools/score.py, with a selectable t2s
    s = unicodedata.normalize("NFKC", str(s))
    return fn("".join(_KEEP.findall(s))).lower().replace("_", "")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.out, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "title"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title"):
            self.skip -= 1
        if tag in ("p", "div", "li", "h1", "tr"):
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def doc_text(path):
    ext = path.suffix
    if ext == ".txt":
        raw = path.read_bytes()
        if raw.startswith(b"\xef\xbb\xbf"):
            return raw.decode("utf-8-sig").replace("\r\n", "\n"), "utf-8-sig"
        try:
            raw.decode("utf-8")
            return raw.decode("utf-8").replace("\r\n", "\n"), "utf-8"
        except UnicodeDecodeError:
            return raw.decode("gb18030").replace("\r\n", "\n"), "gb18030"
    if ext == ".docx":
        d = docx.Document(path)
        parts = [p.text for p in d.paragraphs]
        for t in d.tables:
            for r in t.rows:
                parts.append("\t".join(c.text for c in r.cells))
        return "\n".join(parts), "docx"
    if ext == ".xlsx":
        ws = openpyxl.load_workbook(path).active
        return "\n".join("\t".join("" if v is None else str(v) for v in row) for row in ws.iter_rows(values_only=True)), "xlsx"
    if ext == ".html":
        p = _Text()
        p.feed(path.read_text(encoding="utf-8"))
        return html.unescape("".join(p.out)), "html"
    raise ValueError(path)


DATE_RE = re.compile(
    r"(中[华華]民[国國])?[0-9〇零一二三四五六七八九十]{2,4}年(度|底|[上下]半年|第?[一二三四1-4]季度?)?"
    r"|[0-9一二三四五六七八九十]{1,2}月(份|[上中下]旬|底|初|末)?|[0-9]{1,2}[日号]"
    r"|每[年月周週季天日]|每半年|每季度|逢星期.|[0-9.一二三四五六七八九十两兩]+(个|個)?(小时|小時|工作日|日|天|年|月|周|週)(内|內|以内|以內)?"
    r"|年底|年末|年终|年終|即日|上半年|下半年")
RULE_RE = re.compile(r"严禁|禁止|不得|不准|杜绝|必须|应当|务必|一律|须|不少于|至少|违者|扣|罚|处分|问责|免职|诫勉|追究|"
                     r"查处|严肃处理|组织调整|组织处理|奖|表彰|表扬|提拔|批评|惩")


def sentences(text):
    return [s for s in re.split(r"(?<=[。；;！？\n])", text) if s.strip()]


def main():
    ok = True
    for gpath in sorted((ROOT / "gold").glob("*.jsonl")):
        lines = [json.loads(l) for l in gpath.read_text(encoding="utf-8").splitlines() if l.strip()]
        assert len(lines) == 1
        g = lines[0]
        path = ROOT / "plans" / g["source"]["path"]
        text, enc = doc_text(path)
        fn = HK2S if path.name.startswith("hk_") else T2S
        ct = canon(text, fn)
        print(f"== {path.name} ({enc}) chars={len(text)}")

        def need(s, what):
            nonlocal ok
            if s and canon(s, fn) not in ct:
                ok = False
                print(f"   NOT IN TEXT {what}: {s}")

        for k in ("title", "doc_number", "issuer"):
            if g.get(k):
                need(g[k], k)
        for t in g.get("tasks", []):
            need(t["title"], "task")
            for o in t["owners"] + t["co_owners"]:
                need(o, "owner")
        for p in g.get("phases", []):
            need(p["name"], "phase")
            need(p["time_text"], "phase time")
        for d in g.get("dates", []):
            need(d["text"], "date")
        for p in g.get("people", []):
            need(p["name"], "person")
            need(p["role"], "role")
        for r in g.get("rules", []):
            need(r["text"], "rule")
            for k in ("condition", "consequence", "subject"):
                if r.get(k):
                    need(r[k], "rule " + k)
        # spans and encodings
        raw = path.read_bytes()
        if "span" in g["source"]:
            s, e = g["source"]["span"]
            dec = raw.decode(g["source"]["encoding"]).replace("\r\n", "\n")
            assert dec[s:e] == dec.strip(), "span"
            crlf, bom = raw.count(b"\r\n"), raw.startswith(b"\xef\xbb\xbf")
            print(f"   span {s}:{e} of {len(dec)} ok; CRLF={crlf} BOM={bom}")
        if enc == "gb18030":
            try:
                raw.decode("utf-8")
                print("   !! decodes as utf-8")
                ok = False
            except UnicodeDecodeError:
                pass
            assert b"\n" not in raw.replace(b"\r\n", b"")
        # script
        trad = sum(1 for c in set(text) if "\u4e00" <= c <= "\u9fff" and T2S(c) != c and S2T(c) == c)
        simp = sum(1 for c in set(text) if "\u4e00" <= c <= "\u9fff" and S2T(c) != c and T2S(c) == c)
        tr = sum(1 for c in text if "\u4e00" <= c <= "\u9fff" and T2S(c) != c and S2T(c) == c)
        sr = sum(1 for c in text if "\u4e00" <= c <= "\u9fff" and S2T(c) != c and T2S(c) == c)
        ratio = tr / (tr + sr) if tr + sr else 0
        script = "traditional" if ratio >= 0.9 else "simplified" if ratio <= 0.1 else "mixed"
        print(f"   script tokens trad={tr} simp={sr} ratio={ratio:.3f} -> {script} (gold {g['script']})")
        if script != g["script"]:
            ok = False
        # candidate dates vs gold dates
        body = text
        if path.suffix == ".html":
            body = text[text.index("青师党发"):text.index("【打印本页】")]
        cands = [m.group(0) for m in DATE_RE.finditer(body)]
        print("   date candidates:", " | ".join(cands))
        print("   gold dates     :", " | ".join(d["text"] for d in g["dates"]))
        rs = [s.strip() for s in sentences(body) if RULE_RE.search(s)]
        gold_rules = {canon(r["text"]) for r in g["rules"]}
        for s in rs:
            mark = "RULE " if any(canon(s, fn) in gr or gr in canon(s, fn) for gr in gold_rules) else "---- "
            print("   ", mark, s[:90])
    print("ALL OK" if ok else "PROBLEMS")


if __name__ == "__main__":
    main()
