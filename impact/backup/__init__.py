"""Backup and restore of the whole database: ``flask --app impact export-all FILE`` / ``import-all FILE``."""
