"""Datasets of many plans for the comparison tests: families of variants of a few plan texts written for these tests
(each variant drops some sentences of its family's text), as `plans.jsonl` records, in both scripts."""
from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

from emit.sample import A_TEXT, C_TEXT

from pipeline.emit.jsonl import dict_line
from pipeline.model import SCHEMA, Plan, Source, to_dict

# a third family, in traditional script (the pipeline keeps `text` simplified, but compare takes any text)
T_TEXT = """某區衛生服務中心家庭醫生簽約服務實施方案
為推進家庭醫生簽約服務，提升基層醫療衛生服務能力，結合本區實際，制定本方案。
一、工作目標
到年底，重點人群簽約服務覆蓋率達到百分之六十以上，居民滿意度明顯提高。
二、主要任務
（一）組建家庭醫生團隊。每個團隊由全科醫生、護士和公共衛生人員組成，負責轄區居民的健康管理。
（二）規範簽約服務流程。簽約前告知服務內容，簽約後建立健康檔案，每季度隨訪一次。
（三）完善激勵機制。對簽約服務成效突出的團隊給予表彰獎勵，績效分配向一線人員傾斜。
三、保障措施
各科室要加強協作，確保各項任務落實到位，不得推諉扯皮。"""

FAMILIES = {"a": A_TEXT, "c": C_TEXT, "t": T_TEXT}


def variant(text: str, k: int) -> str:
    """`text` with each sentence dropped with probability 1/4 (seeded by `k`); `text` itself for k = 0."""
    if k == 0:
        return text
    rng = random.Random(k)
    out = []
    for line in text.split("\n"):
        pieces = line.replace("。", "。\x00").split("\x00")
        out.append("".join(p for p in pieces if not (p.endswith("。") and rng.random() < 0.25)))
    return "\n".join(out)


def record(name: str, text: str, **fields) -> dict:
    """A `plans.jsonl` record of `text` with no extracted items."""
    source = Source(path=f"fixtures/{name}.txt", part=1, parts=1, span=[0, len(text)], format="txt",
                    encoding="utf-8", sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
    plan = Plan(schema=SCHEMA, plan_id="p-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12], source=source,
                script="simplified", title=text.split("\n", 1)[0], doc_number=None, issuer=None, issue_date=None,
                year=None, duplicate_of=None, text=text, original_text=text)
    return {**to_dict(plan), **fields}


def family_texts(n_per_family: int) -> list[tuple[str, str]]:
    """(name, text) of `n_per_family` distinct variants of each family, families interleaved."""
    out, seen = [], set()
    k = 0
    while len(out) < n_per_family * len(FAMILIES) and k < 100 * n_per_family:
        for fam, text in FAMILIES.items():
            t = variant(text, k)
            if t not in seen:
                seen.add(t)
                out.append((f"{fam}{k:03d}", t))
        k += 1
    return out[: n_per_family * len(FAMILIES)]


def write_dataset(out: Path, texts: list[tuple[str, str]], formats=("jsonl", "parquet", "csv")) -> Path:
    """`out` with `plans.jsonl` of the texts and a manifest naming `formats` (what the run wrote)."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "plans.jsonl").write_text("".join(dict_line(record(n, t)) + "\n" for n, t in texts), encoding="utf-8")
    (out / "manifest.json").write_text(json.dumps({"config": {"formats": list(formats)}}), encoding="utf-8")
    return out
