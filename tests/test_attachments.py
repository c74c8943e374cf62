"""Evidence kept with the record: files checked by content, stored once per content, owner-only,
audited with their hash, carried by bundles (all or nothing) and merged as a set per item.

Test images are made with Pillow here; nothing binary is kept in git.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import os
import re
import stat
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from inspect_tui.core.checklist import catalog
from inspect_tui.core.exchange.bundle import ADDED, MERGED, BundleError, write_bundle
from inspect_tui.core.exchange.importing import import_bundle, read_bundle
from inspect_tui.core.session import attachments as att
from inspect_tui.core.session.attaching import AttachmentRefused
from inspect_tui.core.session.attachments import AttachmentError, AttachmentStore, check_file, media_type
from inspect_tui.core.errors import SessionError
from inspect_tui.core.session.repository import SessionRepository
from inspect_tui.store.journal import read_state

from .conftest import run_cli
from .test_bundle import Clock  # one clock for every laptop of a test

ITEM, OTHER = "org.basic.grid_split", "team.grid"


@pytest.fixture
def laptops(tmp_path: Path):
    clock = Clock()
    return SessionRepository(tmp_path / "a", clock), SessionRepository(tmp_path / "b", clock)


@pytest.fixture
def repo(laptops) -> SessionRepository:
    return laptops[0]


@pytest.fixture
def shequ():
    return catalog.find("shequ")


def start(repo: SessionRepository, shequ) -> str:
    opened = repo.create(shequ, "幸福社区第一网格党支部", "幸福社区党委", ["张三"], dt.date(2026, 6, 15))
    opened.close()
    return opened.session.id


def photo(path: Path, size=(64, 48), color="red", fmt=None) -> Path:
    Image.new("RGB", size, color).save(path, format=fmt)
    return path


def store_files(repo: SessionRepository, sid: str) -> list[str]:
    folder = AttachmentStore.beside(repo.path(sid)).folder
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


# -- what a file is, and what is refused -----------------------------------------------------------


def test_types_are_known_by_content_not_by_name(tmp_path: Path):
    png_named_pdf = photo(tmp_path / "scan.pdf", fmt="PNG")
    checked = check_file(png_named_pdf)
    assert (checked.type, checked.width, checked.height, checked.name) == ("image/png", 64, 48, "scan.pdf")
    jpeg = check_file(photo(tmp_path / "a.jpg"))
    assert jpeg.type == "image/jpeg" and jpeg.sha256 == hashlib.sha256(jpeg.content).hexdigest()
    assert media_type(b"%PDF-1.7\n...") == "application/pdf"
    assert media_type(b"GIF89a......") == "image/gif"
    assert media_type(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert media_type(b"\x00\x00\x00\x18ftypheic\x00\x00") == "image/heic"
    assert media_type(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(8), "old.XLS") == "application/vnd.ms-excel"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    assert media_type(buffer.getvalue()).endswith("wordprocessingml.document")
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as z:
        z.writestr("word/document.xml", "x")  # no [Content_Types].xml: just a zip
    assert media_type(plain_zip.getvalue()) is None


def refusal(path) -> str:
    with pytest.raises(AttachmentError) as caught:
        check_file(path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(path))
    return message


def test_each_refusal_is_one_line_naming_the_file(tmp_path: Path, monkeypatch):
    assert "no such file" in refusal(tmp_path / "nothere.jpg")
    (tmp_path / "folder.jpg").mkdir()
    assert "a folder" in refusal(tmp_path / "folder.jpg")
    os.mkfifo(tmp_path / "pipe.jpg")
    assert "not a regular file" in refusal(tmp_path / "pipe.jpg")  # refused without opening: no hang
    assert "not a regular file" in refusal("/dev/null")
    (tmp_path / "notes.jpg").write_text("this is text, whatever its name says")
    assert "unsupported file type" in refusal(tmp_path / "notes.jpg")
    (tmp_path / "empty.png").write_bytes(b"")
    assert "empty" in refusal(tmp_path / "empty.png")
    big = tmp_path / "big.jpg"
    with open(big, "wb") as fh:  # sparse: the size is refused from stat, before reading
        fh.write(b"\xff\xd8\xff\xe0")
        fh.truncate(att.MAX_FILE_BYTES + 1)
    assert "too large" in refusal(big)
    unreadable = photo(tmp_path / "locked.png")
    unreadable.chmod(0)
    if os.geteuid() != 0:  # root reads it anyway
        assert "cannot read" in refusal(unreadable)


def test_truncated_and_bomb_images_are_refused(tmp_path: Path, monkeypatch):
    whole = photo(tmp_path / "whole.jpg", size=(400, 300), color="green").read_bytes()
    (tmp_path / "cut.jpg").write_bytes(whole[: len(whole) // 2])
    assert "damaged or truncated" in refusal(tmp_path / "cut.jpg")
    png = photo(tmp_path / "whole.png", size=(200, 200), fmt="PNG").read_bytes()
    (tmp_path / "cut.png").write_bytes(png[:60])
    assert "damaged or truncated" in refusal(tmp_path / "cut.png")
    # Pillow's own limit, as it stands, decides: a smaller limit stands in for a 100-megapixel bomb
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    photo(tmp_path / "bomb.png", size=(100, 100), fmt="PNG")  # 10,000 pixels: over twice the limit
    assert "decompression bomb" in refusal(tmp_path / "bomb.png")
    photo(tmp_path / "over.png", size=(40, 30), fmt="PNG")  # 1,200: over the limit (Pillow only warns)
    assert "decompression bomb" in refusal(tmp_path / "over.png")


def test_a_name_keeps_no_folders_or_controls():
    assert att.safe_name("C:\\Users\\张三\\现场.jpg") == "现场.jpg"
    assert att.safe_name("/tmp/x/../照片\x1b[31m.png") == "照片_[31m.png"
    assert att.safe_name("a\u202egpj.exe") == "a_gpj.exe"


# -- the store and the record ------------------------------------------------------------------------


def test_attach_stores_one_owner_only_copy_per_content_and_audits_the_hash(repo, shequ, tmp_path: Path):
    sid = start(repo, shequ)
    picture = photo(tmp_path / "现场照片.jpg", size=(640, 480))
    sha = hashlib.sha256(picture.read_bytes()).hexdigest()
    with repo.open(sid) as opened:
        added, already = opened.attach(ITEM, [picture, picture], "张三")  # twice in one call: once
        assert [a.sha256 for a in added] == [sha] and already == []
        added, already = opened.attach(ITEM, [picture], "李四")
        assert added == [] and [a.sha256 for a in already] == [sha]
        opened.attach(OTHER, [picture], "张三")  # another item, the same content
    assert store_files(repo, sid) == [sha]
    folder = AttachmentStore.beside(repo.path(sid)).folder
    assert folder.name == f"{sid}.files"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / sha).stat().st_mode) == 0o600
    assert (folder / sha).read_bytes() == picture.read_bytes()
    with repo.open(sid, write=False) as opened:
        [first] = opened.session.attachments[ITEM]
        assert (first.name, first.type, first.width, first.height, first.by) == ("现场照片.jpg", "image/jpeg", 640, 480, "张三")
        assert first.size == picture.stat().st_size
        trail = [e for e in opened.audit() if e.field.startswith("attachment:")]
    assert [e.field for e in trail] == [f"attachment:{ITEM}/{sha}", f"attachment:{OTHER}/{sha}"]
    assert trail[0].old is None and trail[0].new["sha256"] == sha and trail[0].new["name"] == "现场照片.jpg"


def test_all_or_nothing_and_detach(repo, shequ, tmp_path: Path):
    sid = start(repo, shequ)
    good = photo(tmp_path / "good.png", fmt="PNG")
    (tmp_path / "bad.pdf").write_text("not a pdf")
    with repo.open(sid) as opened:
        with pytest.raises(AttachmentRefused) as caught:
            opened.attach(ITEM, [good, tmp_path / "bad.pdf", tmp_path / "gone.jpg"], "张三")
        assert len(caught.value.lines) == 2 and "bad.pdf" in caught.value.lines[0] and "gone.jpg" in caught.value.lines[1]
        assert opened.session.attachments == {}
        with pytest.raises(AttachmentError, match="leaf items only"):
            opened.attach("org", [good], "张三")
        [added], _ = opened.attach(ITEM, [good], "张三")
        opened.attach(OTHER, [good], "张三")
        opened.detach(ITEM, added.sha256[:8], "张三")
        assert store_files(repo, sid) == [added.sha256]  # the other item still uses it
        with pytest.raises(AttachmentError, match="no attachment"):
            opened.detach(ITEM, added.sha256[:8], "张三")
        gone = opened.detach(OTHER, added.sha256[:6], "张三")
    assert store_files(repo, sid) == []  # no item uses it any more
    with repo.open(sid, write=False) as opened:
        assert opened.session.attachments == {}
        last = opened.audit()[-1]
    assert last.field == gone.field and last.old["sha256"] == added.sha256 and last.new is None
    assert store_files(repo, sid) == []  # nothing left behind


def test_a_finished_session_takes_no_attachment(repo, shequ, tmp_path: Path):
    sid = start(repo, shequ)
    with repo.open(sid) as opened:
        opened.finish("张三", force=True)
        with pytest.raises(SessionError, match="finished"):
            opened.attach(ITEM, [photo(tmp_path / "p.png", fmt="PNG")], "张三")
    assert store_files(repo, sid) == []


def test_the_session_total_is_bounded(repo, shequ, tmp_path: Path, monkeypatch):
    sid = start(repo, shequ)
    one, two = photo(tmp_path / "1.png", fmt="PNG"), photo(tmp_path / "2.png", color="blue", fmt="PNG")
    monkeypatch.setattr("inspect_tui.core.session.attaching.MAX_SESSION_BYTES", one.stat().st_size + 10)
    with repo.open(sid) as opened:
        opened.attach(ITEM, [one], "张三")
        with pytest.raises(AttachmentError, match="per session; nothing attached"):
            opened.attach(OTHER, [two], "张三")
        opened.attach(OTHER, [one], "张三")  # the same content again costs nothing
    assert len(store_files(repo, sid)) == 1


def test_an_old_session_file_loads_and_its_typed_evidence_stays(repo, shequ, tmp_path: Path):
    sid = start(repo, shequ)
    with repo.open(sid) as opened:
        opened.set_answer(ITEM, "张三", state="fail", evidence=["D:/照片/现场1.jpg"])
    assert "attachments" not in read_state(repo.path(sid))  # as every file written before
    with repo.open(sid) as opened:
        assert opened.session.answers[ITEM].evidence == ("D:/照片/现场1.jpg",)
        assert opened.session.attachments == {}
        opened.attach(ITEM, [photo(tmp_path / "p.png", fmt="PNG")], "张三")
    with repo.open(sid, write=False) as opened:
        assert opened.session.answers[ITEM].evidence == ("D:/照片/现场1.jpg",)
        assert len(opened.session.attachments[ITEM]) == 1


def test_a_damaged_attachment_record_is_damage(repo, shequ, tmp_path: Path):
    sid = start(repo, shequ)
    with repo.open(sid) as opened:
        opened.attach(ITEM, [photo(tmp_path / "p.png", fmt="PNG")], "张三")
    data = read_state(repo.path(sid))
    next(iter(data["attachments"].values()))["type"] = "application/x-msdownload"
    repo.path(sid).write_text(json.dumps(data, ensure_ascii=False))
    os.unlink(repo.path(sid).with_suffix(".journal")) if repo.path(sid).with_suffix(".journal").exists() else None
    with pytest.raises(SessionError, match="unknown type"):
        repo.open(sid)


def test_trash_and_restore_carry_the_attachments(repo, shequ, tmp_path: Path):
    sid = start(repo, shequ)
    with repo.open(sid) as opened:
        [added], _ = opened.attach(ITEM, [photo(tmp_path / "p.png", fmt="PNG")], "张三")
    repo.delete(sid)
    assert store_files(repo, sid) == [] and (repo.trash_dir / f"{sid}.files" / added.sha256).is_file()
    repo.restore(sid)
    assert store_files(repo, sid) == [added.sha256]


# -- bundles and merging ----------------------------------------------------------------------------


def rewrite_body(path: Path, change) -> None:
    """Edit a bundle's body and recompute its header, as someone altering it on purpose would."""
    raw = path.read_bytes()
    end = raw.index(b"\n")
    data = json.loads(raw[end + 1:])
    change(data)
    body = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    header = re.sub(rb"sha256=[0-9a-f]{64} bytes=\d+", f"sha256={hashlib.sha256(body).hexdigest()} bytes={len(body)}".encode(), raw[:end])
    path.write_bytes(header + b"\n" + body)


def test_a_bundle_carries_the_files_and_the_other_laptop_gets_them(laptops, shequ, tmp_path: Path):
    a, b = laptops
    sid = start(a, shequ)
    plain = tmp_path / "plain.bundle"
    write_bundle(a, [sid], plain)
    assert read_bundle(plain).manifest["version"] == 1  # nothing attached: older versions read it
    picture = photo(tmp_path / "现场.jpg", size=(800, 600))
    with a.open(sid) as opened:
        opened.attach(ITEM, [picture], "张三")
    path = tmp_path / "with.bundle"
    manifest = write_bundle(a, [sid], path)
    assert manifest["version"] == 3
    report = import_bundle(b, path)
    assert [o.kind for o in report.sessions] == [ADDED]
    sha = hashlib.sha256(picture.read_bytes()).hexdigest()
    assert store_files(b, sid) == [sha]
    stored = AttachmentStore.beside(b.path(sid)).folder / sha
    assert stored.read_bytes() == picture.read_bytes() and stat.S_IMODE(stored.stat().st_mode) == 0o600
    with b.open(sid, write=False) as opened:
        [there] = opened.session.attachments[ITEM]
        assert (there.name, there.width, there.height) == ("现场.jpg", 800, 600)
    assert [o.kind for o in import_bundle(b, path).sessions] == ["unchanged"]  # idempotent


@pytest.mark.parametrize("damage, reason", [
    (lambda d: d["attachments"].update({k: base64.b64encode(b"\xff\xd8\xffaltered").decode() for k in d["attachments"]}),
     "checksum mismatch"),
    (lambda d: d["attachments"].clear(), "is missing"),
    (lambda d: d["attachments"].update({"0" * 64: base64.b64encode(b"x").decode()}), "belongs to no session"),
    (lambda d: d["attachments"].update({k: "@@not base64@@" for k in d["attachments"]}), "not base64"),
])
def test_an_altered_or_missing_attachment_refuses_the_whole_bundle(laptops, shequ, tmp_path: Path, damage, reason):
    a, b = laptops
    sid, other = start(a, shequ), start(a, shequ)
    with a.open(sid) as opened:
        opened.attach(ITEM, [photo(tmp_path / "p.png", fmt="PNG")], "张三")
    path = tmp_path / "x.bundle"
    write_bundle(a, [sid, other], path)
    rewrite_body(path, damage)
    with pytest.raises(BundleError, match=reason) as caught:
        import_bundle(b, path)
    assert "\n" not in str(caught.value)
    assert b.session_ids() == [] and not any(b.folder.glob("*.files")) if b.folder.exists() else True


def test_a_damaged_local_copy_never_travels(repo, shequ, tmp_path: Path):
    sid = start(repo, shequ)
    with repo.open(sid) as opened:
        [added], _ = opened.attach(ITEM, [photo(tmp_path / "p.png", fmt="PNG")], "张三")
    stored = AttachmentStore.beside(repo.path(sid)).path(added.sha256)
    stored.write_bytes(b"\x89PNG\r\n\x1a\n bit rot")
    with pytest.raises(SessionError, match="damaged attachment.*no bundle written"):
        write_bundle(repo, [sid], tmp_path / "x.bundle")
    assert not (tmp_path / "x.bundle").exists()


def test_merge_is_a_union_per_item_and_a_detach_against_a_keep_is_listed(laptops, shequ, tmp_path: Path):
    a, b = laptops
    sid = start(a, shequ)
    shared = photo(tmp_path / "shared.png", color="black", fmt="PNG")
    with a.open(sid) as opened:
        opened.attach(ITEM, [shared], "张三")
    write_bundle(a, [sid], tmp_path / "first.bundle")
    import_bundle(b, tmp_path / "first.bundle")
    mine, theirs = photo(tmp_path / "mine.png", color="red", fmt="PNG"), photo(tmp_path / "theirs.jpg", color="blue")
    with a.open(sid) as opened:
        opened.attach(ITEM, [mine], "张三")
        opened.detach(ITEM, hashlib.sha256(shared.read_bytes()).hexdigest()[:10], "张三")
    with b.open(sid) as opened:
        opened.attach(ITEM, [theirs], "李四")
    write_bundle(a, [sid], tmp_path / "a.bundle")
    write_bundle(b, [sid], tmp_path / "b.bundle")
    to_b, to_a = import_bundle(b, tmp_path / "a.bundle"), import_bundle(a, tmp_path / "b.bundle")
    assert [o.kind for o in to_b.sessions] == [o.kind for o in to_a.sessions] == [MERGED]
    want = sorted(hashlib.sha256(p.read_bytes()).hexdigest() for p in (mine, theirs))
    for repo, report, detached_side in ((a, to_a, "local"), (b, to_b, "bundle")):
        with repo.open(sid, write=False) as opened:
            assert sorted(x.sha256 for x in opened.session.attachments[ITEM]) == want
        assert set(want) <= set(store_files(repo, sid))
        [conflict] = report.sessions[0].conflicts
        assert conflict.field == f"attachment:{ITEM}/{hashlib.sha256(shared.read_bytes()).hexdigest()}"
        assert conflict.winner == detached_side and conflict.kept.value is None
        assert conflict.lost.value["name"] == "shared.png"
    assert read_state(a.path(sid))["attachments"] == read_state(b.path(sid))["attachments"]


# -- the command line ---------------------------------------------------------------------------------


def cli(folder: Path, *args: str):
    return run_cli("--sessions", str(folder), *args)


def test_cli_attach_list_show_remove_all_or_nothing(tmp_path: Path):
    folder = tmp_path / "sessions"
    done = cli(folder, "new", "--checklist", "shequ", "--branch", "测试支部", "--inspector", "张三")
    sid = done.stdout.strip()
    good = photo(tmp_path / "现场.png", size=(320, 200), fmt="PNG")
    (tmp_path / "fake.jpg").write_text("text")
    os.mkfifo(tmp_path / "pipe")
    done = cli(folder, "attach", sid, ITEM, str(good), str(tmp_path / "fake.jpg"), str(tmp_path / "pipe"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 3 and "fake.jpg" in lines[0] and "pipe" in lines[1] and "未附加任何文件" in lines[2]
    assert not (folder / f"{sid}.files").exists()
    assert "attachment:" not in cli(folder, "log", sid).stdout
    done = cli(folder, "attach", sid, ITEM, str(good))
    assert done.returncode == 0 and "已附加 现场.png  PNG" in done.stdout and "320×200" in done.stdout
    listed = json.loads(cli(folder, "attach", sid, ITEM, "--list", "--json").stdout)
    [row] = listed["attachments"]
    assert (row["name"], row["width"], row["height"], row["type_name"], row["stored"]) == ("现场.png", 320, 200, "PNG", True)
    shown = cli(folder, "--lang", "en", "show", sid).stdout
    assert "attachments:" in shown and f"{ITEM}  现场.png  PNG" in shown
    shown_json = json.loads(cli(folder, "show", sid, "--json").stdout)
    assert shown_json["attachments"][ITEM][0]["sha256"] == row["sha256"]
    done = cli(folder, "--lang", "en", "attach", sid, ITEM, str(tmp_path / "nothere.pdf"))
    assert done.returncode == 2 and "no such file" in done.stderr and "文件" not in done.stderr
    done = cli(folder, "attach", sid, ITEM, "--remove", row["sha256"][:8])
    assert done.returncode == 0 and "已移除 现场.png" in done.stdout
    assert cli(folder, "--lang", "en", "attach", sid, ITEM, "--list").stdout.strip() == f"{ITEM}: no attachments"
    done = cli(folder, "attach", sid, ITEM)
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1


# -- the documents ------------------------------------------------------------------------------------


def summary_with_files(repo: SessionRepository, shequ, tmp_path: Path):
    from inspect_tui.core.export import build_summary

    sid = start(repo, shequ)
    with repo.open(sid) as opened:
        opened.set_answer(ITEM, "张三", state="fail", note="网格与楼栋不对应")
        opened.attach(ITEM, [photo(tmp_path / "现场.jpg", size=(1600, 1200)), tmp_path / "通知.pdf"], "张三")
    with repo.open(sid, write=False) as opened:
        return sid, build_summary(opened.session, files=AttachmentStore.beside(repo.path(sid)).folder)


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    (tmp_path / "通知.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    return tmp_path / "通知.pdf"


def test_the_docx_embeds_photos_as_captioned_thumbnails_and_lists_other_files(repo, shequ, tmp_path: Path, pdf):
    import docx

    from inspect_tui.core.export import render

    _, summary = summary_with_files(repo, shequ, tmp_path)
    data = render(summary, "docx")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        [media] = [n for n in z.namelist() if n.startswith("word/media/")]
        thumb = Image.open(io.BytesIO(z.read(media)))
    assert max(thumb.size) <= 480  # a thumbnail, not the photo
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    [remark] = [c for c in cells if "网格与楼栋不对应" in c and "现场.jpg" in c]
    assert "现场.jpg(1600×1200)" in remark and "附件: 通知.pdf(PDF" in remark


def test_the_html_embeds_them_inline_and_allows_inline_images_only_then(repo, shequ, tmp_path: Path, pdf):
    from inspect_tui.core.export import build_summary, render

    sid, summary = summary_with_files(repo, shequ, tmp_path)
    page = render(summary, "html", lang="en").decode("utf-8")
    assert "img-src data:" in page and page.count('<img src="data:image/jpeg;base64,') == 1
    assert "<figcaption" in page and "现场.jpg (1600×1200)" in page and "attachments: 通知.pdf (PDF" in page
    with repo.open(sid, write=False) as opened:
        listed_only = render(build_summary(opened.session), "html").decode("utf-8")  # no store given
    assert "<img" not in listed_only and "img-src" not in listed_only and "附件: 现场.jpg(JPEG" in listed_only
    data = json.loads(render(summary, "json"))
    assert [a["name"] for a in data["attachments"]] == ["现场.jpg", "通知.pdf"] and "path" not in data["attachments"][0]


@pytest.mark.slow
def test_a_20_mb_photo_travels_and_libreoffice_converts_the_docx(laptops, shequ, tmp_path: Path):
    """Issue 14: a 20 MB photo attached, bundled, imported on a second folder, embedded in the docx."""
    import shutil
    import subprocess

    from inspect_tui.core.export import build_summary, render

    a, b = laptops
    sid = start(a, shequ)
    big = tmp_path / "IMG_0001.jpg"
    Image.frombytes("RGB", (4800, 3600), os.urandom(4800 * 3600 * 3)).save(big, quality=97)
    assert big.stat().st_size > 20_000_000
    with a.open(sid) as opened:
        opened.attach(ITEM, [big], "张三")
    write_bundle(a, [sid], tmp_path / "x.bundle")
    assert [o.kind for o in import_bundle(b, tmp_path / "x.bundle").sessions] == [ADDED]
    with b.open(sid, write=False) as opened:
        data = render(build_summary(opened.session, files=AttachmentStore.beside(b.path(sid)).folder), "docx")
    assert len(data) < 1_000_000  # the thumbnail travels into the document, not the 20 MB
    (tmp_path / "sheet.docx").write_bytes(data)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed: the conversion is not checked")
    done = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                           "--outdir", str(tmp_path), str(tmp_path / "sheet.docx")], capture_output=True, timeout=300)
    assert done.returncode == 0 and (tmp_path / "sheet.pdf").stat().st_size > 0, done.stderr


def test_the_same_file_attached_on_both_laptops_is_kept_once_without_a_conflict(laptops, shequ, tmp_path: Path):
    a, b = laptops
    sid = start(a, shequ)
    write_bundle(a, [sid], tmp_path / "first.bundle")
    import_bundle(b, tmp_path / "first.bundle")
    same = photo(tmp_path / "same.png", fmt="PNG")
    with a.open(sid) as opened:
        opened.attach(ITEM, [same], "张三")
    with b.open(sid) as opened:
        opened.attach(ITEM, [same], "李四")
    write_bundle(a, [sid], tmp_path / "a.bundle")
    write_bundle(b, [sid], tmp_path / "b.bundle")
    to_b, to_a = import_bundle(b, tmp_path / "a.bundle"), import_bundle(a, tmp_path / "b.bundle")
    assert to_b.sessions[0].conflicts == [] and to_a.sessions[0].conflicts == []
    for repo in (a, b):
        with repo.open(sid, write=False) as opened:
            [kept] = opened.session.attachments[ITEM]
            assert kept.by == "李四"  # the later attach, on both laptops
    assert read_state(a.path(sid))["attachments"] == read_state(b.path(sid))["attachments"]


def test_cli_import_lists_a_detach_against_a_keep(laptops, shequ, tmp_path: Path):
    a, b = laptops
    sid = start(a, shequ)
    with a.open(sid) as opened:
        [added], _ = opened.attach(ITEM, [photo(tmp_path / "kept.png", fmt="PNG")], "张三")
    write_bundle(a, [sid], tmp_path / "first.bundle")
    import_bundle(b, tmp_path / "first.bundle")
    with b.open(sid) as opened:
        opened.detach(ITEM, added.sha256[:8], "李四")
    write_bundle(b, [sid], tmp_path / "b.bundle")
    done = run_cli("--sessions", str(a.folder), "--lang", "en", "import", str(tmp_path / "b.bundle"))
    assert done.returncode == 0, done.stderr
    [line] = [x for x in done.stdout.splitlines() if x.strip().startswith("conflict attachment:")]
    assert f"attachment:{ITEM}/{added.sha256}" in line and f"not this laptop's kept.png {added.sha256[:12]}" in line
    assert "merged (1 changes, 1 conflicts)" in done.stdout


def test_rectifications_and_attachments_travel_and_merge_together(laptops, shequ, tmp_path: Path):
    from inspect_tui.core.session.rectification import Request

    a, b = laptops
    sid = start(a, shequ)
    with a.open(sid) as opened:
        opened.set_answer(ITEM, "张三", state="fail", note="网格与楼栋不对应")
    write_bundle(a, [sid], tmp_path / "first.bundle")
    import_bundle(b, tmp_path / "first.bundle")
    with a.open(sid) as opened:
        opened.set_rectification(ITEM, "张三", Request(person="王五"))
    with b.open(sid) as opened:
        opened.attach(ITEM, [photo(tmp_path / "整改后.jpg")], "李四")
    write_bundle(a, [sid], tmp_path / "a.bundle")
    write_bundle(b, [sid], tmp_path / "b.bundle")
    to_b, to_a = import_bundle(b, tmp_path / "a.bundle"), import_bundle(a, tmp_path / "b.bundle")
    assert [o.kind for o in to_a.sessions + to_b.sessions] == [MERGED, MERGED]
    for repo in (a, b):
        with repo.open(sid, write=False) as opened:
            assert opened.session.rectifications[ITEM].person == "王五"
            assert [x.name for x in opened.session.attachments[ITEM]] == ["整改后.jpg"]
    for table in ("answers", "rectifications", "attachments", "audit"):
        assert read_state(a.path(sid))[table] == read_state(b.path(sid))[table]
