"""Bulk import of identities from a legacy system's CSV file (``manage.py import_identities``)."""
