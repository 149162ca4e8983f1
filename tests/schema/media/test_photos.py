"""Photo inspection and location stripping on real image bytes."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from PIL import ExifTags, Image

from schema.media import (
    PhotoError,
    bands,
    from_int64,
    hamming,
    inspect,
    sniff_type,
    strip_location,
    to_int64,
)
from tests.schema.media.images import LAT, LNG, encode, exif_of, jpeg, png_claiming, scene

CST = dt.timezone(dt.timedelta(hours=8))


def ms(*parts: int, tz: dt.tzinfo = CST) -> int:
    return int(dt.datetime(*parts, tzinfo=tz).timestamp() * 1000)


def test_inspect_reads_hashes_size_time_and_place() -> None:
    data = jpeg(1)
    info = inspect(data)
    assert info.sha256 == hashlib.sha256(data).hexdigest()
    assert info.content_type == "image/jpeg"
    assert (info.size, info.width, info.height) == (len(data), 800, 600)
    assert info.taken_at_ms == ms(2025, 3, 1, 10, 15)  # read as China Standard Time
    assert info.lat == pytest.approx(LAT, abs=1e-6)
    assert info.lng == pytest.approx(LNG, abs=1e-6)
    assert 0 <= info.phash < 1 << 64
    assert info.bands == bands(info.phash)
    assert [b[:2] for b in info.bands] == ["0:", "1:", "2:", "3:"]
    assert all(len(b) == 6 and int(b[2:], 16) >= 0 for b in info.bands)


def test_exif_offset_and_subseconds_are_honoured() -> None:
    info = inspect(jpeg(1, offset="+02:00", subsec="25"))
    assert info.taken_at_ms == ms(2025, 3, 1, 10, 15, tz=dt.timezone(dt.timedelta(hours=2))) + 250
    west = inspect(jpeg(1, offset="-05:30"))
    assert west.taken_at_ms == ms(
        2025, 3, 1, 10, 15, tz=dt.timezone(-dt.timedelta(hours=5, minutes=30))
    )


def test_southern_and_western_coordinates_are_negative() -> None:
    info = inspect(jpeg(1, lat=-33.8688, lng=-70.6693))
    assert info.lat == pytest.approx(-33.8688, abs=1e-6)
    assert info.lng == pytest.approx(-70.6693, abs=1e-6)


@pytest.mark.parametrize(
    "exif",
    [
        {"taken": None, "lat": None, "lng": None},
        {"taken": "0000:00:00 00:00:00", "lat": 0.0, "lng": 0.0},  # blanks some phones write
        {"taken": "yesterday"},
    ],
)
def test_missing_or_blank_exif_reads_as_unknown(exif: dict[str, object]) -> None:
    info = inspect(jpeg(1, **exif))
    assert info.taken_at_ms is None
    if "lat" in exif:
        assert (info.lat, info.lng) == (None, None)


def test_a_photo_without_any_exif() -> None:
    info = inspect(encode(scene(1)))
    assert (info.taken_at_ms, info.lat, info.lng) == (None, None, None)


@pytest.mark.parametrize(("fmt", "content_type"), [("PNG", "image/png"), ("WEBP", "image/webp")])
def test_png_and_webp_are_accepted(fmt: str, content_type: str) -> None:
    data = encode(scene(1), fmt, exif=exif_of())
    info = inspect(data)
    assert info.content_type == content_type == sniff_type(data)
    assert info.taken_at_ms == ms(2025, 3, 1, 10, 15)
    assert info.lat == pytest.approx(LAT, abs=1e-6)
    assert hamming(info.phash, inspect(jpeg(1)).phash) <= 4


def test_a_multi_picture_jpeg_is_a_jpeg() -> None:
    first, second = scene(1), scene(2)
    data = encode(first, "MPO", save_all=True, append_images=[second], exif=exif_of())
    assert Image.open(io.BytesIO(data)).format == "MPO"
    info = inspect(data)
    assert info.content_type == "image/jpeg"
    assert hamming(info.phash, inspect(jpeg(1)).phash) <= 4
    stripped = strip_location(data)
    assert Image.open(io.BytesIO(stripped)).format == "JPEG"


def test_near_duplicates_are_close_and_other_photos_far() -> None:
    original = inspect(jpeg(1)).phash
    recompressed = inspect(encode(scene(1), "JPEG", quality=55)).phash
    resized = inspect(encode(scene(1).resize((400, 300)), "JPEG", quality=70)).phash
    cropped_a_little = inspect(encode(scene(1).crop((4, 3, 796, 597)))).phash
    for copy in (recompressed, resized, cropped_a_little):
        assert hamming(original, copy) <= 4
    for seed in (2, 3, 4, 5):
        assert hamming(original, inspect(jpeg(seed)).phash) > 10


def test_the_hash_sees_the_photo_upright() -> None:
    """A phone that rotates by EXIF tag and one that rotates the pixels give one hash."""
    upright = inspect(encode(scene(1))).phash
    # Orientation 6: the stored pixels must turn 90° clockwise to be seen upright.
    tagged = encode(scene(1).rotate(90, expand=True), "JPEG", exif=exif_of(orientation=6))
    assert hamming(upright, inspect(tagged).phash) <= 4
    untagged = encode(scene(1).rotate(90, expand=True))
    assert hamming(upright, inspect(untagged).phash) > 10


def test_hamming_and_bands() -> None:
    assert hamming(0, 0) == 0
    assert hamming(0, (1 << 64) - 1) == 64
    assert hamming(0b1011, 0b0001) == 2
    assert bands(0x0123_4567_89AB_CDEF) == ["0:0123", "1:4567", "2:89ab", "3:cdef"]
    # Within distance 3, one band at least is untouched: the index finds the pair.
    base = 0xDEAD_BEEF_0BAD_F00D
    for flips in ([0, 16, 32], [63, 47, 31], [1, 2, 3], [15, 16, 48]):
        near = base
        for bit in flips:
            near ^= 1 << bit
        assert hamming(base, near) == 3
        assert set(bands(base)) & set(bands(near))


@pytest.mark.parametrize("value", [0, 1, (1 << 63) - 1, 1 << 63, (1 << 64) - 1])
def test_int64_round_trip(value: int) -> None:
    signed = to_int64(value)
    assert -(1 << 63) <= signed < 1 << 63
    assert from_int64(signed) == value
    assert hamming(signed, 0) == hamming(value, 0)  # distances work on either form


def test_strip_location_removes_gps_and_keeps_orientation() -> None:
    data = encode(
        scene(1),
        "JPEG",
        exif=exif_of(orientation=6),
        xmp=b'<x:xmpmeta><rdf:Description exif:GPSLatitude="35,5.5N"/></x:xmpmeta>',
        comment=b"home of child 42",
    )
    before = Image.open(io.BytesIO(data))
    assert before.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the original has GPS
    stripped = strip_location(data)
    after = Image.open(io.BytesIO(stripped))
    assert after.format == "JPEG"
    exif = after.getexif()
    assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
    assert ExifTags.IFD.GPSInfo not in exif
    assert dict(exif) == {ExifTags.Base.Orientation: 6}
    assert "xmp" not in after.info
    assert "comment" not in after.info
    assert b"GPSLatitude" not in stripped
    assert b"child 42" not in stripped
    info = inspect(stripped)
    assert (info.lat, info.lng, info.taken_at_ms) == (None, None, None)
    assert hamming(info.phash, inspect(data).phash) <= 4


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_strip_location_keeps_the_format(fmt: str) -> None:
    data = encode(scene(1), fmt, exif=exif_of())
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    stripped = strip_location(data)
    after = Image.open(io.BytesIO(stripped))
    assert after.format == fmt
    assert not after.getexif().get_ifd(ExifTags.IFD.GPSInfo)


def test_strip_location_keeps_palette_transparency() -> None:
    im = scene(1).convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    stripped = strip_location(encode(im, "PNG", transparency=3, exif=exif_of()))
    after = Image.open(io.BytesIO(stripped))
    assert after.mode == "P"
    assert after.info["transparency"] == 3
    assert not after.getexif().get_ifd(ExifTags.IFD.GPSInfo)


def test_strip_location_without_exif() -> None:
    stripped = strip_location(encode(scene(1)))
    assert dict(Image.open(io.BytesIO(stripped)).getexif()) == {}


@pytest.mark.parametrize(
    ("data", "limits", "message"),
    [
        (b"", {}, "empty"),
        (b"%PDF-1.7 not a photo at all", {}, "not a JPEG, PNG or WebP"),
        (encode(scene(1), "GIF"), {}, "not a JPEG, PNG or WebP"),
        (encode(scene(1), "BMP"), {}, "not a JPEG, PNG or WebP"),
        (jpeg(1), {"max_bytes": 1_000}, "at most 1000 are accepted"),
        (jpeg(1), {"max_pixels": 800 * 600 - 1}, "pixels are accepted"),
        (png_claiming(7_000, 7_000), {}, "at most 40000000 pixels"),
        # Between Pillow's limit and twice that, Pillow only warns: still refused.
        (png_claiming(10_000, 10_000), {"max_pixels": 10**9}, "too many pixels"),
        (png_claiming(20_000, 20_000), {"max_pixels": 10**9}, "too many pixels"),
        (jpeg(1)[:5_000], {}, "broken"),
    ],
    ids=[
        "empty",
        "not an image",
        "gif",
        "bmp",
        "too many bytes",
        "too many pixels",
        "bomb over our limit",
        "bomb: Pillow warns",
        "bomb: Pillow refuses",
        "truncated",
    ],
)
def test_unusable_photos_are_refused(data: bytes, limits: dict[str, int], message: str) -> None:
    with pytest.raises(PhotoError, match=message):
        inspect(data, **limits)
    with pytest.raises(PhotoError):
        strip_location(data, **limits)


def test_photo_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="not a JPEG"):
        inspect(b"nope")
