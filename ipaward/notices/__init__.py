"""Official notices (GB/T 9704-2012): typed contexts, sandboxed templates, numbering, delivery."""

from ipaward.notices.channels import AppriseChannel, Channel, MailboxChannel, load_channels
from ipaward.notices.delivery import DeliveryResult, deliver
from ipaward.notices.issue import issue_notice, notice_files
from ipaward.notices.kinds import NOTICE_KINDS, NoticeContext, NoticeHeader, sample_context
from ipaward.notices.numbering import next_doc_number
from ipaward.notices.render import RenderedNotice, render_notice

__all__ = [
    "NOTICE_KINDS",
    "AppriseChannel",
    "Channel",
    "DeliveryResult",
    "MailboxChannel",
    "NoticeContext",
    "NoticeHeader",
    "RenderedNotice",
    "deliver",
    "issue_notice",
    "load_channels",
    "next_doc_number",
    "notice_files",
    "render_notice",
    "sample_context",
]
