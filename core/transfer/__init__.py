"""Moving cases in and out of a workspace: the ``handoff-export`` JSON document and a CSV table.

- :func:`export_json` / :func:`export_csv` stream a workspace's cases to a text stream.
- :func:`load_document` reads a JSON file; :func:`import_json` validates a whole
  document and adds its cases in one transaction, or adds nothing.

The document format is described in :mod:`core.transfer.schema` (cases, timelines,
escalations, transitions, notes) and :mod:`core.transfer.workflow_schema` (approvals,
resolution proposals, closure records, outbox entries, attachments).
"""

from core.transfer.exporter import export_csv, export_json, iter_case_records
from core.transfer.importer import ImportReport, import_json, import_records
from core.transfer.schema import CSV_COLUMNS, FORMAT, VERSION, CaseRecord, TransferError
from core.transfer.validation import ImportValidationError, load_document, parse_document

__all__ = [
    "CSV_COLUMNS",
    "FORMAT",
    "VERSION",
    "CaseRecord",
    "ImportReport",
    "ImportValidationError",
    "TransferError",
    "export_csv",
    "export_json",
    "import_json",
    "import_records",
    "iter_case_records",
    "load_document",
    "parse_document",
]
