"""QR codes for certificates and receipts: inline SVG, level M, UTF-8 byte mode for Chinese."""

import urllib.parse

from django.template import Context, Template

from zhengwu.common.qr import qr_code, qr_data_uri, qr_svg

URL = "https://zwfw.example.gov.cn/v/ZZ-2026-000001"


def test_qr_svg_is_an_inline_svg_element_of_the_symbol_size():
    svg = qr_svg(URL)
    assert svg.startswith("<svg")
    assert "<?xml" not in svg
    symbol = qr_code(URL)
    assert (symbol.designator, symbol.version, symbol.error) == ("4-M", 4, "M")
    assert symbol.symbol_size(scale=4) == (164, 164)  # (33 modules + 2 × 4 quiet zone) × 4 px
    assert 'width="164" height="164"' in svg


def test_scale_sets_the_pixels_per_module():
    assert 'width="82" height="82"' in qr_svg(URL, scale=2)


def test_chinese_text_is_utf8_byte_mode_not_kanji_mode():
    symbol = qr_code("中国人民 电子证照")
    assert symbol.mode == "byte"
    assert symbol.error == "M"
    assert qr_svg("中国人民 电子证照").startswith("<svg")


def test_the_same_text_always_gives_the_same_svg_and_is_safe_in_templates():
    assert qr_svg(URL) == qr_svg(URL)
    rendered = Template("{{ qr }}").render(Context({"qr": qr_svg(URL)}))
    assert rendered.startswith("<svg")


def test_qr_data_uri_is_the_same_svg_for_an_img_tag():
    uri = qr_data_uri(URL)
    assert uri.startswith("data:image/svg+xml")
    decoded = urllib.parse.unquote(uri.partition(",")[2])
    assert "<svg" in decoded
    assert "width='164'" in decoded
