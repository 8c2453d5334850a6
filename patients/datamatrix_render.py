"""Draw the Datamatrix INS (RNIV DM-01) as SVG or PNG from its module matrix.

The symbol is ECC200 with the whole text in C40, so its first data codeword is 230 (INTEROP.md: the national
validator rejects a header encoded in ASCII mode, which encoders choose by default).
"""

import io

from PIL import Image
from ppf.datamatrix import DataMatrix

# ISO/IEC 16022 asks for a quiet zone of one module; label printers smear, so two is the floor here.
QUIET_ZONE = 2
PNG_MODULE_PIXELS = 8


def datamatrix_codewords(text: str) -> bytes:
    """Return the data codewords of the text, encoded in C40 from the first one."""
    return text.encode("datamatrix.C40")


def datamatrix_modules(text: str) -> list[list[int]]:
    """Return the module matrix (rows of 1 for dark, 0 for light), without the quiet zone."""
    return DataMatrix(text, codecs=["C40"]).matrix


def datamatrix_svg(text: str, *, title: str = "Datamatrix INS") -> str:
    """Return a standalone SVG: one path of dark modules, a viewBox in modules, a light quiet zone."""
    modules = datamatrix_modules(text)
    size = len(modules) + 2 * QUIET_ZONE
    runs = []
    for y, row in enumerate(modules):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append(f"M{start + QUIET_ZONE} {y + QUIET_ZONE}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" '
        f'viewBox="0 0 {size} {size}" width="{size * 4}" height="{size * 4}" '
        'shape-rendering="crispEdges" role="img" aria-label="Datamatrix INS">'
        f"<title>{title}</title>"
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(runs)}"/></svg>'
    )


def datamatrix_png(text: str, *, module_pixels: int = PNG_MODULE_PIXELS) -> bytes:
    """Return a black-and-white PNG of the symbol, quiet zone included."""
    modules = datamatrix_modules(text)
    size = len(modules) + 2 * QUIET_ZONE
    image = Image.new("1", (size, size), 1)
    pixels = image.load()
    for y, row in enumerate(modules):
        for x, dark in enumerate(row):
            if dark:
                pixels[x + QUIET_ZONE, y + QUIET_ZONE] = 0
    image = image.resize((size * module_pixels, size * module_pixels), Image.NEAREST)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
