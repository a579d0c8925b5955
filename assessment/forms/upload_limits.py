"""Stops reading an uploaded file once it passes the evidence size limit, so oversize uploads never fill the disk."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


class EvidenceSizeLimitHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: drops a file past the limit and marks the request (`oversize_upload`)."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.EVIDENCE_MAX_UPLOAD_BYTES:
            self.request.oversize_upload = self.file_name
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def oversize_message(request) -> str:
    """The error to show when the request's upload was dropped for its size, else ''."""
    if not getattr(request, "oversize_upload", None):
        return ""
    return _("The file is larger than the %(limit)s limit.") % {
        "limit": filesizeformat(settings.EVIDENCE_MAX_UPLOAD_BYTES)
    }
