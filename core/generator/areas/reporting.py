"""Reporting & Analytics: dashboards, scheduled reports, metric discrepancies, time zones."""

from __future__ import annotations

from core.generator.catalog import AreaProfile, RootCauseKind, Scenario

REPORTING = AreaProfile(
    key="reporting",
    name="Reporting & Analytics",
    short="Reporting",
    error_prefix="RPT-",
    logger=("reports.query", "reports.scheduler", "analytics.etl", "dashboards.render"),
    scenarios=(
        Scenario(
            subjects=(
                'Report "{report}" shows different totals than the export',
                "Numbers in {report} do not match our invoices",
            ),
            problem=(
                'The report "{report}" shows {amount} for last month, but the CSV export of the same data '
                "adds up to {amount2}. Our CFO presents these figures to the board on {date}."
            ),
            details=(
                "Both use the same filters and date range.",
                "The difference is in the last day of the month.",
                "Our account time zone is Europe/Berlin.",
            ),
            steps=(
                "Compared the report query with the export query: report buckets by UTC day",
                "Recomputed the last day in Europe/Berlin: totals match the export",
            ),
            logs=(
                "report {report_id} query: GROUP BY date_trunc('day', created_at) tz=UTC",
                "export job {job_id}: tz=Europe/Berlin rows={rows}",
            ),
            hypotheses=("The report groups days in UTC while the export uses the account time zone.",),
            root_cause="The report grouped days in UTC instead of the account's time zone.",
            resolution=(
                'Reports now use the account time zone for day boundaries, so "{report}" matches the '
                "export. Historical snapshots were recalculated."
            ),
            cause_kind=RootCauseKind.PRODUCT_DEFECT,
        ),
        Scenario(
            subjects=(
                "Dashboard takes over a minute to load",
                'Dashboard "{report}" times out with {http}',
            ),
            problem=(
                'Our main dashboard "{report}" takes more than a minute to load and often ends with {http}. '
                "It used to load in a few seconds."
            ),
            details=(
                "The dashboard has {count} widgets.",
                "We added a filter on a custom field on {date}.",
                "It is slow for every user, in every browser.",
            ),
            steps=(
                "Profiled the widget queries: the custom-field filter forces a full scan per widget",
                "Tested the dashboard without the custom-field filter: loads in 3.1 s",
                "Checked whether the custom field is indexed: not indexed for reporting",
            ),
            logs=(
                "widget w_{hex8} query took 41210 ms (full scan on custom_values)",
                "dashboard render aborted after 60 s: {http}",
            ),
            hypotheses=("Filtering on a non-indexed custom field makes every widget scan all values.",),
            root_cause="Filtering dashboards on a custom field without a reporting index caused full scans.",
            resolution=(
                'We enabled reporting indexes for the custom field; "{report}" now loads in about 4 '
                "seconds. You can enable this for other fields under Reporting → Indexed fields."
            ),
            cause_kind=RootCauseKind.CONFIGURATION,
        ),
        Scenario(
            subjects=(
                "Scheduled report emails not sent",
                'Weekly report "{report}" did not arrive on {date}',
            ),
            problem=(
                'Our weekly scheduled report "{report}" did not arrive on Monday. Nobody on the '
                "distribution list received it, and there is no error in the schedule settings."
            ),
            details=(
                "The schedule owner left the company last week.",
                "The list has {count} recipients.",
            ),
            steps=(
                "Checked the scheduler log: schedule skipped because owner u_{hex8} is deactivated",
                "Transferred the schedule to another admin in staging: runs",
            ),
            logs=("schedule {report_id} skipped: owner deactivated",),
            hypotheses=("Schedules are skipped silently when their owner is deactivated.",),
            root_cause="Scheduled reports were skipped silently after their owner was deactivated.",
            resolution=(
                "We transferred the schedule to your admin account and resent the missed report. "
                "Deactivating a user now prompts to reassign their schedules."
            ),
            cause_kind=RootCauseKind.PRODUCT_DEFECT,
        ),
        Scenario(
            subjects=(
                "Analytics data delayed by more than a day",
                "Yesterday's data missing from {report}",
            ),
            problem=(
                'The analytics data is more than 24 hours behind. "{report}" still shows nothing for '
                "{date}, although we usually see data within an hour."
            ),
            details=(
                "The status page shows all systems operational.",
                "We use these numbers for the daily stand-up with our sales team.",
            ),
            steps=(
                "Checked the ETL pipeline for the tenant: partition load failing since {date}",
                "Found a schema change in a custom field type (text → number) breaking the load",
            ),
            logs=(
                "ETL load failed for partition {date}: cannot cast 'n/a' to numeric (field cf_{num4})",
                "pipeline tenant={tenant} lag=27h",
            ),
            hypotheses=("A custom field type change breaks the ETL cast for old values.",),
            root_cause=(
                "Changing a custom field from text to number broke the analytics load for rows holding "
                "non-numeric legacy values."
            ),
            resolution=(
                "Non-numeric legacy values are now loaded as empty, and the backlog has been processed; "
                '"{report}" is current again.'
            ),
            cause_kind=RootCauseKind.DATA,
        ),
        Scenario(
            subjects=(
                "PDF export of dashboard cuts off charts",
                "Dashboard PDF export is blank in {browser}",
            ),
            problem=(
                'When we export the dashboard "{report}" to PDF, charts on the right side are cut off and '
                "some are blank. We send this PDF to our management every week."
            ),
            details=(
                "We export from {browser} on {os}.",
                "The dashboard uses the wide layout.",
            ),
            steps=(
                "Reproduced with the wide layout: renderer uses A4 portrait regardless of layout",
                "Tested landscape rendering: all charts visible",
            ),
            logs=("pdf render {report_id}: page=A4 portrait viewport=1920x1080 overflow=true",),
            hypotheses=("The PDF renderer ignores the dashboard's wide layout.",),
            root_cause="The PDF renderer always used A4 portrait and clipped wide dashboards.",
            resolution=(
                "PDF export now picks landscape for wide dashboards and scales charts to the page. Your "
                "next scheduled PDF will include all charts."
            ),
            cause_kind=RootCauseKind.PRODUCT_DEFECT,
        ),
    ),
)
