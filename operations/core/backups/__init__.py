"""Backups of the whole installation (``manage.py backup`` and ``restore``):
encryption in ``encryption``, each database engine in ``databases``, the
backup and the restore themselves in ``services``."""
