"""The backup file: a zip with one JSON-lines file per table and a manifest holding counts and checksums."""

import hashlib
import json
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

FORMAT = "impact-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"


class BackupError(Exception):
    """The file is not a usable Impact backup (wrong format, version or checksum)."""


def _member(table: str) -> str:
    return f"tables/{table}.jsonl"


def _line(row: dict[str, Any]) -> bytes:
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode() + b"\n"


class ArchiveWriter:
    """Writes tables one after another, then the manifest (so a half-written file has no manifest)."""

    def __init__(self, path: Path, meta: dict[str, Any]):
        self._zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED)
        self._meta = meta
        self._tables: dict[str, dict[str, Any]] = {}

    def write_table(self, table: str, rows: Iterable[dict[str, Any]]) -> int:
        digest, count = hashlib.sha256(), 0
        with self._zip.open(_member(table), "w") as member:
            for row in rows:
                line = _line(row)
                digest.update(line)
                member.write(line)
                count += 1
        self._tables[table] = {"rows": count, "sha256": digest.hexdigest()}
        return count

    def close(self) -> None:
        manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, **self._meta, "tables": self._tables}
        self._zip.writestr(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))
        self._zip.close()


class ArchiveReader:
    """Checks format, version and every table's checksum on open; then yields rows table by table."""

    def __init__(self, path: Path):
        try:
            self._zip = zipfile.ZipFile(path)
            self.manifest = json.loads(self._zip.read(MANIFEST))
        except (OSError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as error:
            raise BackupError(f"{path} is not an Impact backup: {error}") from error
        if self.manifest.get("format") != FORMAT:
            raise BackupError(f"{path} is not an Impact backup.")
        if self.manifest.get("format_version") != FORMAT_VERSION:
            raise BackupError(
                f"Backup format version {self.manifest.get('format_version')} is not supported "
                f"(this version of Impact reads version {FORMAT_VERSION})."
            )
        for table, info in self.tables.items():
            digest, count = hashlib.sha256(), 0
            with self._zip.open(_member(table)) as member:
                for line in member:
                    digest.update(line)
                    count += 1
            if digest.hexdigest() != info["sha256"] or count != info["rows"]:
                raise BackupError(f"The checksum of table {table} does not match: the file is damaged.")

    @property
    def tables(self) -> dict[str, dict[str, Any]]:
        return self.manifest["tables"]

    def rows(self, table: str) -> Iterator[dict[str, Any]]:
        with self._zip.open(_member(table)) as member:
            for line in member:
                yield json.loads(line)

    def close(self) -> None:
        self._zip.close()
