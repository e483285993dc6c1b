"""Files handed over with an application: checked where they lie, then stored by digest."""

from ipaward.documents.check import (
    DEFAULT_MAX_BYTES,
    DocumentCheck,
    DocumentStatus,
    check_document,
    check_documents,
    is_sha256_hex,
)
from ipaward.documents.sniff import detect_executable, sniff_media_type
from ipaward.documents.store import store_file

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DocumentCheck",
    "DocumentStatus",
    "check_document",
    "check_documents",
    "detect_executable",
    "is_sha256_hex",
    "sniff_media_type",
    "store_file",
]
