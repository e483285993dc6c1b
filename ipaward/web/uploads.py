"""One scanned file with a few text fields (multipart/form-data), read bounded and parsed
with the standard library's MIME parser (no multipart dependency), then checked and stored
by the same code as an application's documents (`ipaward.documents`)."""

from __future__ import annotations

import email.parser
import email.policy
import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request

from ipaward.documents.check import check_document
from ipaward.documents.sniff import JPEG, PDF, PNG
from ipaward.documents.store import store_file
from ipaward.web.error_pages import BadForm
from ipaward.web.forms import MAX_FORM_BYTES

MULTIPART = "multipart/form-data"
SCAN_TYPES = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}
MAX_FILENAME = 200


@dataclass(frozen=True)
class Upload:
    """The uploaded form: its text fields and at most one file (None: no file chosen)."""

    fields: dict[str, str]
    filename: str
    data: bytes | None


@dataclass(frozen=True)
class StoredScan:
    sha256: str
    name: str
    media_type: str
    size: int

    def as_record(self) -> dict[str, object]:
        return {
            "sha256": self.sha256,
            "name": self.name,
            "media_type": self.media_type,
            "size": self.size,
        }


def size_text(count: int) -> str:
    """A size bound as people read it: whole MiB when exact, else KiB."""
    mib = 1024 * 1024
    return f"{count // mib} MiB" if count % mib == 0 else f"{max(count // 1024, 1)} KiB"


async def read_upload(request: Request, *, file_field: str, max_file_bytes: int) -> Upload:
    """The body is read up to the file limit plus the text fields' allowance, no further:
    a larger one is refused (413) before it is parsed."""
    content_type = request.headers.get("content-type", "")
    if content_type.split(";", 1)[0].strip().lower() != MULTIPART:
        raise BadForm("表单格式不正确", status=415)
    limit = max_file_bytes + MAX_FORM_BYTES
    too_large = BadForm(f"上传的文件过大:扫描件不能超过{size_text(max_file_bytes)}", status=413)
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise too_large
    head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1", "replace")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + bytes(body))
    if not message.is_multipart():
        raise BadForm("表单内容不正确")
    fields: dict[str, str] = {}
    filename, data = "", None
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if not isinstance(name, str) or not isinstance(payload, bytes):
            continue
        if name == file_field:
            filename = (part.get_filename() or "")[:MAX_FILENAME]
            data = payload if (filename or payload) else None
        else:
            try:
                fields[name] = payload.decode("utf-8")
            except UnicodeDecodeError:
                raise BadForm("表单编码应为UTF-8") from None
    return Upload(fields=fields, filename=filename, data=data)


def store_scan(files_root: Path, filename: str, data: bytes, *, max_bytes: int) -> StoredScan:
    """Check the scan like any declared document (size, executable, type by its bytes) and
    keep it content-addressed; only PDF, JPEG and PNG are scans (BadForm says why not)."""
    sha256 = hashlib.sha256(data).hexdigest()
    label = filename or "扫描件"
    files_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=files_root, prefix=".scan-") as folder:
        (Path(folder) / "scan").write_bytes(data)
        check = check_document(
            Path(folder), kind="objection_scan", name="scan", sha256=sha256, max_bytes=max_bytes
        )
        if not check.ok:
            raise BadForm(check.message.replace("文件scan", f"扫描件{label}", 1))
        if check.media_type not in SCAN_TYPES:
            raise BadForm(f"扫描件{label}不是PDF、JPEG或PNG文件")
        store_file(files_root, Path(folder) / "scan", sha256)
    return StoredScan(sha256=sha256, name=label, media_type=check.media_type, size=len(data))
