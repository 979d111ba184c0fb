"""Text files: encodings detected (not assumed) and recorded; bad bytes give specific errors."""
import codecs

import pytest

from pipeline.errors import InputError
from pipeline.ingest.txt import read_txt

SIMP = "一、总体要求\n为加强医院管理，特制定本方案。到2021年底前完成。\n"
TRAD = "壹、依據\n為落實校園安全，特訂定本實施計畫。民國113年9月1日起實施。\n"
SHORT_GBK = "关于印发方案的通知"


@pytest.mark.parametrize("data, encoding, text", [
    (SIMP.encode("utf-8"), "utf-8", SIMP),
    (codecs.BOM_UTF8 + SIMP.encode("utf-8"), "utf-8-sig", SIMP),
    (SIMP.encode("utf-16"), "utf-16", SIMP),                         # with BOM
    (SIMP.encode("utf-16-le"), "utf-16-le", SIMP),                   # no BOM
    (("1. " + SIMP).encode("utf-16-be"), "utf-16-be", "1. " + SIMP),
    (SIMP.encode("gb18030"), "gb18030", SIMP),
    (SIMP.encode("gbk"), "gb18030", SIMP),                           # GBK is a subset of GB18030
    (SHORT_GBK.encode("gbk"), "gb18030", SHORT_GBK),
    (TRAD.encode("big5"), "big5", TRAD),
    ("計畫".encode("big5"), "big5", "計畫"),
    (TRAD.encode("utf-8"), "utf-8", TRAD),
    ("第一行\r\n第二行\r\n".encode("gbk"), "gb18030", "第一行\n第二行\n"),   # universal newlines
])
def test_encodings(data, encoding, text):
    raw = read_txt(data)
    assert (raw.encoding, raw.text) == (encoding, text)


SHORT = ["实施方案", "工作方案", "卫生局", "各科室：", "经研究决定", "严禁收受红包", "医务科", "附件"]


@pytest.mark.parametrize("text", SHORT)
def test_short_gbk_strict_order_beats_a_guesser(text):
    """Strict decoding in a fixed order reads short GBK text right; charset-normalizer mostly does not."""
    assert read_txt(text.encode("gbk")).text == text


def test_guesser_on_the_same_short_texts():
    charset_normalizer = pytest.importorskip("charset_normalizer")
    right = sum(str(charset_normalizer.from_bytes(t.encode("gbk")).best() or "") == t for t in SHORT)
    assert right < len(SHORT)  # the reason detect.decode does not use a guesser


@pytest.mark.parametrize("data, code", [
    (b"\x00\x01\x02\x03binary\x00\x00\xff" * 50, "binary"),
    (bytes(range(0x80, 0xA0)) * 20 + b"\xff\xfe\xfd", "undecodable"),
    (codecs.BOM_UTF8 + b"\xff\xfe\xfa", "undecodable"),
])
def test_bad_text(data, code):
    with pytest.raises(InputError) as e:
        read_txt(data)
    assert e.value.code == code
