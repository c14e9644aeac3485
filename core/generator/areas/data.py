"""Data Import/Export: CSV imports, exports, encodings, scheduled backups."""

from __future__ import annotations

from core.generator.catalog import AreaProfile, RootCauseKind, Scenario

DATA = AreaProfile(
    key="data",
    name="Data Import/Export",
    short="Data",
    error_prefix="IMP-",
    logger=("import.csv", "export.jobs", "storage.s3", "import.validate"),
    scenarios=(
        Scenario(
            subjects=(
                "CSV import fails at row {row} with {err}",
                "Import of {file} aborts halfway",
            ),
            problem=(
                "We are importing {file} ({rows} rows) and the import stops at row {row} with "
                "\"{err}: unexpected value in column 'amount'\". The row looks fine in Excel."
            ),
            details=(
                "The file was exported from our ERP in UTF-8.",
                "Smaller files with the same layout import fine.",
                "We need this data in place for a go-live on {date}.",
            ),
            steps=(
                "Opened {file} in a hex editor: row {row} has a non-breaking space as thousands separator",
                "Re-ran the import with locale de-DE: parses correctly",
                "Checked the importer's number parser: does not treat U+00A0 as a separator",
            ),
            logs=(
                "row {row}: cannot parse '1\u00a0240,00' as decimal (column amount)",
                "import job {job_id} aborted: {err} after 1 error(s)",
            ),
            hypotheses=(
                "The ERP writes non-breaking spaces as thousands separators, which the parser rejects.",
            ),
            root_cause=(
                "The importer did not accept non-breaking spaces as thousands separators in "
                "localised numbers."
            ),
            resolution=(
                "The importer now accepts localised number formats including non-breaking spaces. Please "
                "re-run the import of {file}; rows already imported will be skipped."
            ),
            cause_kind=RootCauseKind.PRODUCT_DEFECT,
        ),
        Scenario(
            subjects=(
                "Umlauts broken in export ({file})",
                "Garbled characters in CSV export opened in Excel",
            ),
            problem=(
                'When we open the export {file} in Excel, names like "Müller" show up as "MÃ¼ller". '
                "Our accounting team cannot use the file like this."
            ),
            details=(
                "We use Excel 365 on {os}.",
                "Opening the file in a text editor shows the characters correctly.",
                "The problem started after the export redesign.",
            ),
            steps=(
                "Checked the export bytes: UTF-8 without BOM",
                "Opened the file in Excel via Data → From Text with UTF-8: displays correctly",
            ),
            logs=("export job {job_id} finished: rows={rows} encoding=utf-8 bom=false",),
            hypotheses=("Excel assumes the legacy code page because the file has no byte-order mark.",),
            root_cause="Excel reads CSV files without a byte-order mark in the legacy Windows code page.",
            resolution=(
                'We added an "Excel compatible (UTF-8 with BOM)" option to the export dialog. Exports '
                "with it open correctly by double-click."
            ),
            cause_kind=RootCauseKind.CUSTOMER_ENVIRONMENT,
        ),
        Scenario(
            subjects=(
                "Scheduled export to S3 failing since {date}",
                "Nightly backup export: AccessDenied",
            ),
            problem=(
                "Our nightly export to our S3 bucket has failed since {date}. The job history shows "
                '"AccessDenied" without more detail.'
            ),
            details=(
                "Bucket region is {region}.",
                "Our security team enabled a new bucket policy recently.",
                "We need these exports for our compliance archive.",
            ),
            steps=(
                "Checked the export job {job_id}: PutObject denied",
                "Reviewed the customer's bucket policy: requires aws:SecureTransport and SSE-KMS",
                "Tested an upload with SSE-KMS from staging: succeeds",
            ),
            logs=(
                "PutObject s3://{tenant}-exports/daily/{date}.zip failed: AccessDenied",
                "export job {job_id} failed after 3 attempts",
            ),
            hypotheses=("The new bucket policy demands KMS encryption that the exporter does not request.",),
            root_cause=(
                "A new bucket policy required SSE-KMS encryption, which the export job did not request."
            ),
            resolution=(
                "You can now choose SSE-KMS and a key ARN in the export destination settings; with it, the "
                "nightly export succeeds. We re-ran the missed exports."
            ),
            cause_kind=RootCauseKind.CONFIGURATION,
        ),
        Scenario(
            subjects=(
                "Export job stuck at 99% for hours",
                "Full account export never finishes (job {job_id})",
            ),
            problem=(
                "We started a full export of our account on {date} for our audit. The progress bar has "
                "been at 99% for more than {duration} and the download link never appears."
            ),
            details=(
                "Our account holds about {rows} records with attachments.",
                "We tried twice with the same result.",
                "The audit deadline is at the end of next week.",
            ),
            steps=(
                "Found job {job_id}: archive step waiting on a lock held by a crashed worker",
                "Released the lock and restarted the archive step: finished in 12 minutes",
            ),
            logs=(
                "job {job_id} waiting for lock export:{account} held by worker-7 (heartbeat lost)",
                "worker-7 terminated: out of memory while zipping attachments",
            ),
            hypotheses=("A worker crashed during archiving and left its lock behind.",),
            root_cause=(
                "An export worker ran out of memory while zipping large attachments and left a stale lock, "
                "which blocked the job from completing."
            ),
            resolution=(
                "Your export is complete and the download link has been emailed. Archiving now streams "
                "attachments, and stale locks expire automatically."
            ),
            cause_kind=RootCauseKind.PRODUCT_DEFECT,
        ),
        Scenario(
            subjects=(
                "Duplicate contacts created by import",
                "Import creates duplicates instead of updating existing records",
            ),
            problem=(
                "We re-imported {file} to update phone numbers, but instead of updating, the import created "
                '{count} duplicate contacts. We selected "update existing records".'
            ),
            details=(
                "We match on the email column.",
                "Some emails in our file have uppercase letters.",
                "We need to clean up the duplicates before our campaign on {date}.",
            ),
            steps=(
                "Compared duplicates with originals: emails differ only in letter case",
                "Checked the matcher: case-sensitive comparison on the email column",
            ),
            logs=("import job {job_id}: created={count} updated=0 matched_on=email",),
            hypotheses=("Matching on email is case-sensitive, so mixed-case emails do not match.",),
            root_cause="Import matching on email addresses was case-sensitive.",
            resolution=(
                "We merged the duplicates for you and made email matching case-insensitive. A re-import "
                "now updates the existing contacts."
            ),
            cause_kind=RootCauseKind.PRODUCT_DEFECT,
        ),
    ),
)
