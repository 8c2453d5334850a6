"""Decode a Datamatrix back to its bytes with zxing-cpp (test dependency): the reader is not the writer."""

import io

import numpy as np
import zxingcpp
from PIL import Image


def decode_png(png: bytes) -> bytes:
    """Return the raw bytes of the one Datamatrix in the image (GS bytes included)."""
    image = np.array(Image.open(io.BytesIO(png)).convert("L"))
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.DataMatrix)
    assert len(found) == 1, f"expected one Datamatrix, found {len(found)}"
    return found[0].bytes


def decode_svg(svg: str, *, scale: int = 8) -> bytes:
    """Rasterise the SVG's dark runs (our own path syntax: M x y h w v1 h-w z) and decode it."""
    import re

    size = int(re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).group(1))
    pixels = np.full((size, size), 255, dtype=np.uint8)
    for x, y, w in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", svg):
        pixels[int(y), int(x) : int(x) + int(w)] = 0
    image = np.kron(pixels, np.ones((scale, scale), dtype=np.uint8))
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.DataMatrix)
    assert len(found) == 1
    return found[0].bytes
