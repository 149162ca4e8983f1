"""Real photos for the media tests, drawn with Pillow: scenes, EXIF, odd files."""

from __future__ import annotations

import io
import random
import zlib
from typing import Any

from PIL import ExifTags, Image, ImageDraw, ImageFilter

#: Near Tengzhou: 35°05'30" N, 117°09'00" E.
LAT, LNG = 35 + 5 / 60 + 30 / 3600, 117 + 9 / 60


def scene(seed: int, size: tuple[int, int] = (800, 600)) -> Image.Image:
    """A photo-like picture: a gradient sky and soft shapes, different for each seed."""
    rng = random.Random(seed)
    width, height = size
    im = Image.linear_gradient("L").resize(size).convert("RGB")
    tint = Image.new("RGB", size, (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    im = Image.blend(im, tint, 0.5)
    draw = ImageDraw.Draw(im)
    for _ in range(12):
        x, y = rng.randrange(width), rng.randrange(height)
        rx, ry = rng.randrange(40, width // 3), rng.randrange(40, height // 3)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.ellipse((x - rx, y - ry, x + rx, y + ry), fill=colour)
    return im.filter(ImageFilter.GaussianBlur(3))


def exif_of(
    *,
    taken: str | None = "2025:03:01 10:15:00",
    offset: str | None = None,
    subsec: str | None = None,
    lat: float | None = LAT,
    lng: float | None = LNG,
    orientation: int | None = None,
) -> Image.Exif:
    """EXIF written through Pillow's API: capture time, GPS as (deg, min, sec) rationals."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestPhone"
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    if taken is not None:
        sub[ExifTags.Base.DateTimeOriginal] = taken
    if offset is not None:
        sub[ExifTags.Base.OffsetTimeOriginal] = offset
    if subsec is not None:
        sub[ExifTags.Base.SubsecTimeOriginal] = subsec
    if lat is not None and lng is not None:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        gps[ExifTags.GPS.GPSLatitudeRef] = "N" if lat >= 0 else "S"
        gps[ExifTags.GPS.GPSLatitude] = _dms(abs(lat))
        gps[ExifTags.GPS.GPSLongitudeRef] = "E" if lng >= 0 else "W"
        gps[ExifTags.GPS.GPSLongitude] = _dms(abs(lng))
    return exif


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round((value - degrees - minutes / 60) * 3600, 4)
    return float(degrees), float(minutes), seconds


def encode(im: Image.Image, fmt: str = "JPEG", **options: Any) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        options.setdefault("quality", 92)
    im.save(out, fmt, **options)
    return out.getvalue()


def jpeg(seed: int = 1, **exif: Any) -> bytes:
    """A JPEG of ``scene(seed)`` with EXIF (see :func:`exif_of`)."""
    return encode(scene(seed), "JPEG", exif=exif_of(**exif))


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels: a decompression bomb."""
    data = bytearray(encode(Image.new("1", (1, 1)), "PNG"))
    # Signature (8), then the IHDR chunk: length (4), type (4), data (13), CRC (4).
    data[16:20] = width.to_bytes(4, "big")
    data[20:24] = height.to_bytes(4, "big")
    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")
    return bytes(data)
