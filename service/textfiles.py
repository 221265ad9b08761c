"""Reading a text file a person named (a policy, an import, CANDOR_POLICY), with the
reason it cannot be read as one sentence that starts with the path."""

from __future__ import annotations

from pathlib import Path

__all__ = ["UnreadableFile", "read_text_file"]


class UnreadableFile(ValueError):
    """The file cannot be read as UTF-8 text; the message says why, naming the path."""


def read_text_file(path: Path | str) -> str:
    """The file's text, read as UTF-8.

    Raises:
        UnreadableFile: it does not exist, is a folder, may not be read, or is not UTF-8.
    """
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UnreadableFile(f"{path} does not exist") from None
    except IsADirectoryError:
        raise UnreadableFile(f"{path} is a folder, not a file") from None
    except PermissionError:
        raise UnreadableFile(f"{path} cannot be read: permission denied") from None
    except UnicodeDecodeError as error:
        byte = error.object[error.start : error.start + 1].hex()
        raise UnreadableFile(
            f"{path} is not UTF-8 text (byte 0x{byte} at offset {error.start}): "
            "it must be UTF-8; save it with that encoding"
        ) from None
    except OSError as error:
        raise UnreadableFile(f"{path} cannot be read ({error.strerror or error})") from None
