"""The installation's stable identity towards INSi: ContexteLPS/LPS/Instance (INSI.md, issue 14 item 4)."""

from insi.models import InsiInstallation


def installation_instance() -> str:
    """Return this installation's UUID, created in the database at the first call and the same ever after."""
    # get_or_create retries the read when two processes insert the row at once.
    row, _ = InsiInstallation.objects.get_or_create(pk=InsiInstallation.SINGLETON_ID)
    return str(row.instance)
