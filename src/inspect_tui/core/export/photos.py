"""Attachments in the documents: photos as captioned thumbnails beside the finding, other files
listed by name (docx and html; core/session/attachments.py keeps the files).

A thumbnail is made afresh from the stored photo (Pillow, loaded only when a document has one),
at most `THUMB_PX` on its longer side, as JPEG: a 20 MB photo adds tens of kilobytes to the file,
not 20 MB. A photo that cannot be read here (the store is not given, the file is gone or damaged)
is listed like any other file instead: the document is still written.
"""

from __future__ import annotations

import io
import warnings

from ...texts import Words
from .model import AttachmentRow

THUMB_PX = 480


def thumbnail(row: AttachmentRow) -> bytes | None:
    """JPEG bytes of a small copy of the photo, or None when it cannot be made."""
    if not row.is_image or not row.path:
        return None
    try:
        from PIL import Image

        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(row.path) as image:
                image.draft("RGB", (THUMB_PX, THUMB_PX))  # a JPEG decodes at a fraction of its size
                image.thumbnail((THUMB_PX, THUMB_PX))
                small = image.convert("RGB")
        out = io.BytesIO()
        small.save(out, format="JPEG", quality=80)
        return out.getvalue()
    except Exception:  # any failure to read a stored photo: the document lists it and goes on
        return None


def caption(row: AttachmentRow, w: Words) -> str:
    dims = w("doc.photo.dims", width=row.width, height=row.height) if row.width and row.height else ""
    return w("doc.photo.caption", name=row.name, dims=dims)


def files_line(rows: tuple[AttachmentRow, ...], w: Words) -> str:
    """附件: scan.pdf(PDF 1.2 MiB); … — the files not shown as a picture; "" when none."""
    if not rows:
        return ""
    return w("doc.attachments_prefix") + "; ".join(w("doc.attachment", name=r.name, kind=r.type_name, size=r.size_text)
                                                   for r in rows)


def split(rows: tuple[AttachmentRow, ...]) -> tuple[list[tuple[AttachmentRow, bytes]], tuple[AttachmentRow, ...]]:
    """(photos with their thumbnail, the other files)."""
    photos, others = [], []
    for row in rows:
        small = thumbnail(row)
        if small is None:
            others.append(row)
        else:
            photos.append((row, small))
    return photos, tuple(others)
