"""Make the README's pictures from the real output: page 1 of the English aftercare handout,
the English A5 flyer and a 4 x A6 sheet, rendered by PDFium. Run from the repository root:

    python docs/pictures.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pypdfium2 as pdfium

from handouts.catalogue.document import render_job
from handouts.catalogue.plan import Job
from handouts.content.load import load_library
from handouts.output.impose import impose

ROOT = Path(__file__).resolve().parents[1]
DPI = 60


def _png(pdf: bytes, target: Path) -> None:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        document = pdfium.PdfDocument(handle.name)
        image = document[0].render(scale=DPI / 72).to_pil().convert("RGB")
        document.close()
    image.quantize(colors=128).save(target, optimize=True)


def main() -> None:
    library = load_library(ROOT / "data", ROOT / "fonts")
    aftercare = render_job(library, Job("plantar-fasciitis", "aftercare", "en"))
    flyer = render_job(library, Job("plantar-fasciitis", "flyer", "en"))
    cards = impose(render_job(library, Job("plantar-fasciitis", "flyer", "vi"), "a6"), 4, True,
                   "A6")
    _png(aftercare, ROOT / "docs" / "handout.png")
    _png(flyer, ROOT / "docs" / "flyer.png")
    _png(cards, ROOT / "docs" / "cards-a6.png")


if __name__ == "__main__":
    main()
