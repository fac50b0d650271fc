"""QR codes as inline SVG, for electronic certificates (电子证照) and case receipts.

Error correction level M, a regular QR code (never Micro QR), a 4-module quiet zone. Text is encoded as
UTF-8 bytes, so Chinese is never put in Shift_JIS kanji mode, which phone scanners would misread.
"""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_code(text: str) -> segno.QRCode:
    """The symbol for `text`: smallest version that holds it at level M."""
    return segno.make_qr(text, error="m", encoding="utf-8", boost_error=False)


def qr_svg(text: str, *, scale: int = 4) -> SafeString:
    """An `<svg>` element (no XML declaration), `scale` pixels a module; safe to put in a template as is.

    The markup holds only path data computed from the symbol, never `text` itself, hence marked safe.
    """
    return mark_safe(qr_code(text).svg_inline(scale=scale))


def qr_data_uri(text: str, *, scale: int = 4) -> str:
    """The same SVG as a `data:image/svg+xml` URI, for `<img src>` or a PDF renderer."""
    return qr_code(text).svg_data_uri(scale=scale)
