"""Evidence kept with the record (佐证材料): photos and scans copied into the session's own store.

    sessions/
      3f9a2c1b7d4e.json
      3f9a2c1b7d4e.files/      0700, one file per content, whatever number of items use it
        <sha256>               0600, the bytes exactly as attached

A file is checked before anything is copied: a regular file (never a folder, device or FIFO; a
device is refused from its `stat`, before it is opened), at most `MAX_FILE_BYTES`, of a type
known *by its content* (magic bytes; the name's extension only tells a legacy .doc from a .xls,
both OLE files), and, for an image, decodable by Pillow within `Image.MAX_IMAGE_PIXELS` (a
decompression bomb or a truncated file is refused). The bytes checked are the bytes stored: the
file is read once, into memory, hashed and written from there.

Which items have which attachments is the session file's `attachments` table (file.py), one
document per (item, sha256), audited as the field `attachment:<item>/<sha256>` whose `new` is the
document (the hash is in the trail): the merge replays it like an answer (exchange/merge.py).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import warnings
from dataclasses import asdict
from ...quick_dataclass import dataclass
from pathlib import Path, PureWindowsPath
from typing import Any, Iterable

from ...store.durable import DIR_MODE, FILE_MODE, StorageError, _fsync_dir, clean_temp_files, os_reason, temp_token
from ..text import TextError, check as check_text

MAX_FILE_BYTES = 25 * 1024 * 1024  # a 20 MB full-resolution phone photo fits (issue 14's test)
MAX_SESSION_BYTES = 128 * 1024 * 1024  # what one session may hold: still one bundle (200 MiB, base64)
MAX_PER_ITEM = 50
FIELD_PREFIX = "attachment:"
RECTIFICATION = "rectification"  # `purpose` of the branch's evidence of the fix (整改佐证), else ""
SUFFIX = ".files"
SHA_RE = re.compile(r"^[0-9a-f]{64}$")

# media type -> short name shown on screens and in documents
TYPES = {
    "image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WebP", "image/heic": "HEIC",
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "application/msword": "Word 97", "application/vnd.ms-excel": "Excel 97",
    "application/vnd.ms-powerpoint": "PowerPoint 97", "application/x-ole-storage": "Office 97",
}
PILLOW_IMAGES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WEBP"}
_OLE_BY_SUFFIX = {".doc": "application/msword", ".xls": "application/vnd.ms-excel", ".ppt": "application/vnd.ms-powerpoint"}
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_OOXML = (("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
          ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
          ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"))


class AttachmentError(Exception):
    """A file that cannot be attached, or a store that cannot be used: one line, "中文 (English)"."""


@dataclass(frozen=True)
class Attachment:
    """One file attached to one item: its content's sha256 and what is shown about it."""

    item: str
    sha256: str
    name: str  # the original file name, without its folders
    size: int
    type: str  # media type, one of TYPES
    width: int | None = None  # pixels, images only
    height: int | None = None
    added: str = ""
    by: str = ""
    purpose: str = ""  # RECTIFICATION: evidence of the fix; "" (not stored): evidence of the finding

    @property
    def key(self) -> str:
        return f"{self.item}/{self.sha256}"

    @property
    def field(self) -> str:
        """Its audit field: the hash is in the trail."""
        return FIELD_PREFIX + self.key

    @property
    def is_image(self) -> bool:
        return self.type.startswith("image/")

    @property
    def type_name(self) -> str:
        return TYPES.get(self.type, self.type)

    def to_data(self) -> dict[str, Any]:
        """The record; `purpose` only when set, so a finding's record is as older builds wrote it."""
        data = asdict(self)
        if not self.purpose:
            del data["purpose"]
        return data

    def size_text(self) -> str:
        if self.size < 1024:
            return f"{self.size} B"
        if self.size < 1024 * 1024:
            return f"{self.size / 1024:.0f} KiB"
        return f"{self.size / 1024 / 1024:.1f} MiB"

    def describe(self) -> str:
        """"现场照片.jpg  JPEG 1.2 MiB 4032×3024  3f9a2c1b": one line of a listing."""
        dims = f" {self.width}×{self.height}" if self.width is not None and self.height is not None else ""
        return f"{self.name}  {self.type_name} {self.size_text()}{dims}  {self.sha256[:12]}"


def from_data(doc: Any) -> Attachment:
    """An attachment document of a session file or a bundle, checked (ValueError otherwise)."""
    if not isinstance(doc, dict) or set(doc) | {"purpose"} != set(Attachment.__dataclass_fields__):
        raise ValueError("an attachment record of the wrong shape")  # `purpose` absent: older, a finding's
    if doc.get("purpose", "") not in ("", RECTIFICATION):
        raise ValueError("an attachment of an unknown purpose")
    if not isinstance(doc["sha256"], str) or not SHA_RE.match(doc["sha256"]):
        raise ValueError("an attachment without a sha256")
    for key in ("item", "name", "added", "by"):
        if not isinstance(doc[key], str):
            raise ValueError(f"attachment {key} is not text")
    check_text(doc["name"], "path")
    check_text(doc["by"], "name")
    check_text(doc["added"], "line")
    if doc["type"] not in TYPES:
        raise ValueError(f"attachment of an unknown type {str(doc['type'])[:40]!r}")
    size = doc["size"]
    if isinstance(size, bool) or not isinstance(size, int) or not 0 < size <= MAX_FILE_BYTES:
        raise ValueError("attachment size out of range")
    for key in ("width", "height"):
        value = doc[key]
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 10**6):
            raise ValueError(f"attachment {key} out of range")
    return Attachment(**doc)


def safe_name(raw: str) -> str:
    """The file's own name: no folders (either kind of slash), no controls, bounded."""
    name = PureWindowsPath(raw).name or Path(raw).name or "file"
    name = "".join(c if c.isprintable() and c not in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069" else "_"
                   for c in name).strip() or "file"
    try:
        return check_text(name[:200], "path")
    except TextError:  # a lone surrogate, a non-character: what is left is still a name
        return "".join(c if c.isascii() else "_" for c in name[:200])


# -- checking a file -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    """A file that may be attached: its bytes (the ones checked) and what they are."""

    source: str
    name: str
    content: bytes
    sha256: str
    type: str
    width: int | None
    height: int | None


def refuse(path: str, zh: str, en: str) -> AttachmentError:
    return AttachmentError(f"{path}: {zh} ({en})")


def check_file(path: str | os.PathLike[str]) -> Checked:
    """Read and check one file (AttachmentError: one line naming it and why)."""
    shown = str(path)
    try:
        st = os.stat(path)  # follows a link to see what it leads to: a device is never opened
    except FileNotFoundError:
        raise refuse(shown, "文件不存在", "no such file") from None
    except OSError as exc:
        raise refuse(shown, f"无法读取:{os_reason(exc)}", f"cannot read: {os_reason(exc)}") from None
    _regular(shown, st.st_mode)
    if st.st_size > MAX_FILE_BYTES:
        raise _too_big(shown)
    content = _read(shown, path)
    media = media_type(content, str(path))
    if media is None:
        raise refuse(shown, "不支持的文件类型,只收图片、PDF 和常用办公文件",
                     "unsupported file type: images, PDF and common office files only")
    width = height = None
    if media in PILLOW_IMAGES:
        width, height = image_size(shown, content, PILLOW_IMAGES[media])
    return Checked(shown, safe_name(str(path)), content, hashlib.sha256(content).hexdigest(), media, width, height)


def _regular(shown: str, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise refuse(shown, "是文件夹,不是文件", "a folder, not a file")
    if not stat.S_ISREG(mode):
        raise refuse(shown, "不是普通文件(设备或管道)", "not a regular file: a device or a pipe")


def _too_big(shown: str) -> AttachmentError:
    limit = MAX_FILE_BYTES // (1024 * 1024)
    return refuse(shown, f"文件过大,每个文件最多 {limit} MiB", f"too large: at most {limit} MiB per file")


def _read(shown: str, path: str | os.PathLike[str]) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise refuse(shown, f"无法读取:{os_reason(exc)}", f"cannot read: {os_reason(exc)}") from None
    try:
        _regular(shown, os.fstat(fd).st_mode)  # swapped for a FIFO since the stat: still refused
        chunks, size = [], 0
        while chunk := os.read(fd, 1 << 20):
            size += len(chunk)
            if size > MAX_FILE_BYTES:
                raise _too_big(shown)
            chunks.append(chunk)
    except OSError as exc:
        raise refuse(shown, f"无法读取:{os_reason(exc)}", f"cannot read: {os_reason(exc)}") from None
    finally:
        os.close(fd)
    if size == 0:
        raise refuse(shown, "是空文件", "an empty file")
    return b"".join(chunks)


def media_type(content: bytes, name: str = "") -> str | None:
    """The media type of `content` from its first bytes (None: not one we take). The name's
    extension is only read to tell the legacy OLE formats apart; it never makes a file a type."""
    head = content[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "image/heic"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _OLE_BY_SUFFIX.get(Path(name).suffix.lower(), "application/x-ole-storage")
    if head.startswith(b"PK\x03\x04"):
        return _ooxml(content)
    return None


def _ooxml(content: bytes) -> str | None:
    """A zip is an office file only with [Content_Types].xml and a word/, xl/ or ppt/ part."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:  # reads the directory, unpacks nothing
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for prefix, media in _OOXML:
        if any(n.startswith(prefix) for n in names):
            return media
    return None


def image_size(shown: str, content: bytes, pillow_format: str) -> tuple[int, int]:
    """(width, height) of an image Pillow decodes whole, as the format its magic bytes said;
    a decompression bomb (over `Image.MAX_IMAGE_PIXELS`, kept as Pillow sets it) or a damaged or
    truncated image is refused."""
    import io

    from PIL import Image  # Pillow only when an image is attached

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)  # over the limit: refused
            with Image.open(io.BytesIO(content), formats=[pillow_format]) as image:
                size = image.size
                image.load()  # a truncated file fails here, not in a document later
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise refuse(shown, "图片像素过多,疑为解压炸弹,已拒绝", "refused: too many pixels, a decompression bomb?") from None
    except (OSError, SyntaxError, ValueError, EOFError, Image.UnidentifiedImageError):
        raise refuse(shown, "图片已损坏或不完整", "a damaged or truncated image") from None
    return size


# -- the store -----------------------------------------------------------------------------------


class AttachmentStore:
    """A session's attachment folder: one file per content, named by its sha256."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def beside(cls, session_path: Path) -> "AttachmentStore":
        stem = session_path.name[: -len(".json")] if session_path.name.endswith(".json") else session_path.name
        return cls(session_path.parent / f"{stem}{SUFFIX}")

    def path(self, sha256: str) -> Path:
        if not SHA_RE.match(sha256):
            raise ValueError("not a sha256")
        return self.folder / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def read(self, sha256: str) -> bytes:
        """The stored content, verified against its name (AttachmentError if damaged or gone)."""
        target = self.path(sha256)
        try:
            content = target.read_bytes()
        except OSError as exc:
            raise refuse(str(target), f"附件无法读取:{os_reason(exc)}", f"attachment cannot be read: {os_reason(exc)}") from None
        if hashlib.sha256(content).hexdigest() != sha256:
            raise refuse(str(target), "附件已损坏,内容与校验和不符", "damaged attachment: its content does not match its sha256")
        return content

    def put(self, content: bytes, sha256: str | None = None) -> str:
        """Store `content` (durably: temp file, fsync, replace, fsync of the folder) unless a
        sound copy is there already; returns its sha256. StorageError when the disk refuses."""
        digest = hashlib.sha256(content).hexdigest()
        if sha256 is not None and sha256 != digest:
            raise ValueError("content does not match its sha256")
        target = self.path(digest)
        try:
            if target.is_file() and target.stat().st_size == len(content) and self.read(digest) == content:
                return digest
        except AttachmentError:
            pass  # a damaged copy: written again below
        tmp = self.folder / f".{digest}.tmp-{os.getpid()}-{temp_token()}"
        fd = -1
        try:
            self._make_folder()
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
            if hasattr(os, "fchmod"):
                os.fchmod(fd, FILE_MODE)
            view = memoryview(content)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
            os.close(fd)
            fd = -1
            os.replace(tmp, target)
            _fsync_dir(self.folder)
        except OSError as exc:
            if fd >= 0:
                os.close(fd)
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise StorageError(target, f"could not store the attachment ({os_reason(exc)})", errno=exc.errno) from None
        return digest

    def remove(self, sha256: str) -> None:
        """Delete a content no item uses any more (the trail keeps its hash and name)."""
        try:
            os.unlink(self.path(sha256))
            _fsync_dir(self.folder)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise StorageError(self.path(sha256), f"could not remove the attachment ({os_reason(exc)})", errno=exc.errno) from None

    def _make_folder(self) -> None:
        if not self.folder.is_dir():
            os.mkdir(self.folder, DIR_MODE)
            _fsync_dir(self.folder.parent)
        if stat.S_IMODE(os.stat(self.folder).st_mode) != DIR_MODE:
            os.chmod(self.folder, DIR_MODE)  # umask, or a `cp -r` copy: owner only
        clean_temp_files(self.folder)


def total_size(attachments: Iterable[Attachment]) -> int:
    """Bytes stored for these attachments: one copy per content."""
    return sum({a.sha256: a.size for a in attachments}.values())


def session_limit_refusal(session_id: str, total: int) -> AttachmentError:
    limit = MAX_SESSION_BYTES // (1024 * 1024)
    return AttachmentError(f"{session_id}: 附件总量将超过每个检查记录 {limit} MiB 的上限,未添加任何文件 "
                           f"(the attachments would exceed {limit} MiB per session; nothing attached)")


__all__ = ["Attachment", "AttachmentError", "AttachmentStore", "Checked", "check_file", "from_data", "media_type"]
