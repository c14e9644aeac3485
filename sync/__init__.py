"""Background synchronization with helpdesks and CRMs (connectors, HTTP layer, sandbox servers).

The connectors arrive with the sync issues; this package never imports Qt.
"""
