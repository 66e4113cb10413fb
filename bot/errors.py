"""Errors that reach a person: each carries a one-line message and the exit code the CLI uses."""

from __future__ import annotations


class CrowdcultureError(Exception):
    """Base class: an error with a message meant for the user, never a traceback."""

    exit_code = 1


class UsageError(CrowdcultureError):
    """Bad input or arguments: exit code 2."""

    exit_code = 2


class ConfigError(UsageError):
    """A wrong value in config.yaml or the environment; the message names the key."""


class KnowledgeError(UsageError):
    """A knowledge-base file that does not parse or does not follow the schema."""

    def __init__(self, path: str, line: int | None, message: str):
        self.path, self.line, self.detail = path, line, message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


class StorageError(CrowdcultureError):
    """The post database is unreachable, locked or refused a write (nothing was half-written)."""


class ModelError(CrowdcultureError):
    """A model named in the settings cannot be loaded."""
