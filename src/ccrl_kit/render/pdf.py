"""Stage 5c, render PDF: the handout HTML -> PDF bytes with WeasyPrint, fonts from templates/."""

from __future__ import annotations

import logging
from pathlib import Path


def render_pdf(html: str, base: Path) -> bytes:
    """Typeset ``html``; relative URLs (the fonts) resolve against ``base``."""
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return HTML(string=html, base_url=str(base) + "/").write_pdf(
        pdf_identifier=b"ccrl-kit", uncompressed_pdf=False
    )
