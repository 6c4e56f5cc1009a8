"""The bearer token: generated once into the user directory (mode 0600), read on every later start."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

TOKEN_FILE = "http-token"


def load_or_create_token(home: Path) -> tuple[str, bool]:
    """(token, created): the token stored in `home`, or a new one written there readable by the owner only."""
    path = home / TOKEN_FILE
    if path.is_file():
        token = path.read_text(encoding="utf-8").strip()
        if token:
            return token, False
    home.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    # created 0600 from the start (never world-readable, even for an instant); replaced atomically
    tmp = path.with_name(f".{TOKEN_FILE}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(token + "\n")
    os.replace(tmp, path)
    return token, True
