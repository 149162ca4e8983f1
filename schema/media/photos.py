"""Photo inspection: what an uploaded photo is, when and where it says it was taken.

:func:`inspect` reads real image bytes with Pillow: the content hash (the blob
key), a 64-bit perceptual hash (``imagehash.phash``, robust to re-compression
and resizing, so a photo re-used from an earlier visit is found even after a
messaging app re-encoded it), the size, and the EXIF capture time and GPS.

:func:`strip_location` re-encodes a photo without its metadata (only the
orientation is kept): what is *served* never carries the place a child lives.

Only JPEG (and MPO, the multi-picture JPEG some phones write), PNG and WebP
are accepted: Pillow decodes them without extra dependencies. HEIC needs a
plugin with native code, so phones must upload JPEG (they all can).

Decompression bombs are refused with a :class:`PhotoError`, never a warning:
the pixel count is checked from the header, before any decoding.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
import re
import warnings
from dataclasses import dataclass
from typing import Any

import imagehash
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from schema.media.errors import PhotoError

__all__ = [
    "CONTENT_TYPES",
    "PhotoError",
    "PhotoInfo",
    "bands",
    "from_int64",
    "hamming",
    "inspect",
    "sniff_type",
    "strip_location",
    "to_int64",
]

#: Pillow format name → the content type we store and serve.
CONTENT_TYPES: dict[str, str] = {
    "JPEG": "image/jpeg",
    "MPO": "image/jpeg",  # a JPEG with extra pictures appended; served as its first
    "PNG": "image/png",
    "WEBP": "image/webp",
}
#: The decoders Pillow may try: nothing exotic reaches a parser (MPO comes via JPEG's).
_FORMATS = ("JPEG", "PNG", "WEBP")
#: China Standard Time: EXIF times without an offset are read as local time here.
CST = dt.timezone(dt.timedelta(hours=8))
_MASK64 = (1 << 64) - 1
_BAND_BITS = 16
_BANDS = 64 // _BAND_BITS
#: phash only needs a 32x32 thumbnail: decode a JPEG at a reduced DCT scale.
_HASH_DRAFT = (256, 256)
_EXIF_TIME = re.compile(r"^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$")
_OFFSET = re.compile(r"^([+-])(\d{2}):(\d{2})$")


@dataclass(frozen=True)
class PhotoInfo:
    """What :func:`inspect` found in a photo."""

    sha256: str  # of the bytes as uploaded: the blob key
    phash: int  # 64-bit perceptual hash, unsigned (see to_int64 for storage)
    bands: list[str]  # "0:ab12" … "3:9f00": equal bands find near-duplicate candidates
    content_type: str
    size: int  # bytes
    width: int  # pixels, as stored (before EXIF orientation)
    height: int
    taken_at_ms: int | None  # EXIF DateTimeOriginal (UTC+8 unless OffsetTimeOriginal)
    lat: float | None  # EXIF GPS, degrees
    lng: float | None


def inspect(
    data: bytes, *, max_bytes: int = 10 * 1024 * 1024, max_pixels: int = 40_000_000
) -> PhotoInfo:
    """Read a photo's hashes, size, EXIF time and place; ``PhotoError`` if it is unusable."""
    with _open(data, max_bytes=max_bytes, max_pixels=max_pixels) as im:
        content_type = CONTENT_TYPES[str(im.format)]
        width, height = im.size
        if im.format in ("JPEG", "MPO"):
            im.draft(None, _HASH_DRAFT)
        _decode(im)
        exif = im.getexif()
        upright = ImageOps.exif_transpose(im)
        phash = int(str(imagehash.phash(upright)), 16)
    lat, lng = _gps(exif)
    return PhotoInfo(
        sha256=hashlib.sha256(data).hexdigest(),
        phash=phash,
        bands=bands(phash),
        content_type=content_type,
        size=len(data),
        width=width,
        height=height,
        taken_at_ms=_taken_at_ms(exif),
        lat=lat,
        lng=lng,
    )


def strip_location(
    data: bytes, *, max_bytes: int = 10 * 1024 * 1024, max_pixels: int = 40_000_000
) -> bytes:
    """The photo re-encoded with no metadata but its orientation and colour profile.

    Every EXIF tag but Orientation goes (GPS, but also device serial numbers and
    the embedded thumbnail, which keeps its own copy of the picture), and so do
    XMP, comments and PNG text chunks, any of which can carry a location. JPEG
    (and MPO: its first picture) stays JPEG at quality 90; PNG and WebP keep
    their format.
    """
    with _open(data, max_bytes=max_bytes, max_pixels=max_pixels) as im:
        fmt = "JPEG" if im.format == "MPO" else str(im.format)
        _decode(im)
        orientation = im.getexif().get(ExifTags.Base.Orientation)
        icc = im.info.get("icc_profile")
        transparency = im.info.get("transparency")  # a palette PNG's see-through colour
        clean = im.copy()
    # A copy keeps ``info`` (comment, xmp, text…), which some encoders read as
    # defaults: start the saved image from nothing.
    clean.info = {}
    options: dict[str, Any] = {}
    if isinstance(orientation, int) and 1 <= orientation <= 8:
        kept = Image.Exif()
        kept[ExifTags.Base.Orientation] = orientation
        options["exif"] = kept.tobytes()
    if isinstance(icc, bytes) and icc:
        options["icc_profile"] = icc
    if fmt == "PNG" and transparency is not None:
        options["transparency"] = transparency
    if fmt == "JPEG":
        if clean.mode not in ("L", "RGB", "CMYK"):
            clean = clean.convert("RGB")
        options["quality"] = 90
    elif fmt == "WEBP":
        options["quality"] = 90
    out = io.BytesIO()
    clean.save(out, fmt, **options)
    return out.getvalue()


def sniff_type(data: bytes) -> str | None:
    """The content type of accepted photo bytes from their magic number, else None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def hamming(a: int, b: int) -> int:
    """Bits that differ between two 64-bit hashes (signed or unsigned forms alike)."""
    return ((a ^ b) & _MASK64).bit_count()


def bands(phash: int) -> list[str]:
    """The hash in 4 bands of 16 bits, most significant first: ``["0:ab12", …]``.

    Two hashes within Hamming distance 3 agree on at least one band (4 bands, at
    most 3 differing bits: one band has none), so an index on the bands finds
    every such candidate; the real distance is then checked with :func:`hamming`.
    """
    value = phash & _MASK64
    return [f"{i}:{(value >> (64 - _BAND_BITS * (i + 1))) & 0xFFFF:04x}" for i in range(_BANDS)]


def to_int64(phash: int) -> int:
    """The unsigned hash as a signed 64-bit integer: graph databases store no larger ints."""
    value = phash & _MASK64
    return value - (1 << 64) if value >= 1 << 63 else value


def from_int64(value: int) -> int:
    """Back from :func:`to_int64` to the unsigned hash."""
    return value & _MASK64


# -- internals -------------------------------------------------------------------------


def _open(data: bytes, *, max_bytes: int, max_pixels: int) -> Image.Image:
    """Open (headers only) and check size, type and pixel count before any decoding."""
    if not data:
        raise PhotoError("the photo is empty")
    if len(data) > max_bytes:
        raise PhotoError(f"the photo is {len(data)} bytes; at most {max_bytes} are accepted")
    try:
        with warnings.catch_warnings():
            # Pillow only *warns* between MAX_IMAGE_PIXELS and twice that: refuse those too.
            # (The filter is process-wide; a race between threads at worst lets the
            # warning through, and the pixel check below still refuses the image.)
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data), formats=_FORMATS)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise PhotoError(f"the photo has too many pixels: {exc}") from exc
    except UnidentifiedImageError as exc:
        raise PhotoError("not a JPEG, PNG or WebP image") from exc
    except (OSError, SyntaxError, ValueError) as exc:  # Pillow's "broken file" errors
        raise PhotoError(f"the image cannot be read: {exc}") from exc
    if im.format not in CONTENT_TYPES:
        im.close()
        raise PhotoError(f"unsupported image type {im.format}; send JPEG, PNG or WebP")
    width, height = im.size
    if width <= 0 or height <= 0 or width * height > max_pixels:
        im.close()
        raise PhotoError(
            f"the photo is {width}x{height} pixels; at most {max_pixels} pixels are accepted"
        )
    return im


def _decode(im: Image.Image) -> None:
    """Decode the pixels: a truncated or corrupt file fails here."""
    try:
        im.load()
    except (OSError, SyntaxError, ValueError) as exc:
        raise PhotoError(f"the image data is broken: {exc}") from exc


def _text(value: object) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str):
        return None
    return value.strip("\x00 ").strip() or None


def _taken_at_ms(exif: Image.Exif) -> int | None:
    ifd = exif.get_ifd(ExifTags.IFD.Exif)
    raw = _text(ifd.get(ExifTags.Base.DateTimeOriginal))
    match = _EXIF_TIME.match(raw) if raw else None
    if match is None:
        return None
    zone = CST
    offset = _text(ifd.get(ExifTags.Base.OffsetTimeOriginal))
    offset_match = _OFFSET.match(offset) if offset else None
    if offset_match:
        sign, hours, minutes = offset_match.groups()
        delta = dt.timedelta(hours=int(hours), minutes=int(minutes))
        zone = dt.timezone(-delta if sign == "-" else delta)
    try:
        year, month, day, hour, minute, second = (int(part) for part in match.groups())
        when = dt.datetime(year, month, day, hour, minute, second, tzinfo=zone)
    except ValueError:  # "0000:00:00 00:00:00" and other blanks some cameras write
        return None
    ms = 0
    subsec = _text(ifd.get(ExifTags.Base.SubsecTimeOriginal))
    if subsec and subsec.isdigit():
        ms = int((subsec + "00")[:3])
    return int(when.timestamp()) * 1000 + ms


def _gps(exif: Image.Exif) -> tuple[float | None, float | None]:
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    lat = _degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef), "S")
    lng = _degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef), "W")
    if lat is None or lng is None or not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None, None
    if lat == 0 and lng == 0:  # "null island": a phone's placeholder, not a place
        return None, None
    return lat, lng


def _degrees(value: object, ref: object, negative: str) -> float | None:
    """EXIF (degrees, minutes, seconds) rationals → signed decimal degrees."""
    parts = value if isinstance(value, tuple | list) else (value,)
    if not 1 <= len(parts) <= 3:
        return None
    try:
        numbers = [float(p) for p in parts]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not all(math.isfinite(n) and n >= 0 for n in numbers):
        return None
    degrees = sum(n / 60.0**i for i, n in enumerate(numbers))
    return -degrees if _text(ref) == negative else degrees
