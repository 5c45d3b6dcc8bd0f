"""File stamps and content digests: how the caches tell that a file is unchanged.

`content_digest` is the key of a file's content (BLAKE2b, from the interpreter's own module: loading
hashlib's OpenSSL would cost a cached run a third of its start-up).

A stamp is a file's size, modification and change times and inode, as git's index records them. An edit
that keeps the size and puts the modification time back (`os.utime`) still moves the change time, which
no call can set. Two edits within the file system's time resolution (a second on some) could leave equal
times on different content, so, as git guards its "racy" entries, a file last changed less than
`SETTLED_NS` before its stamp is taken gets none: the caches then read and hash it, as they do for a file
whose stamp changed. Both caches take the stamp before they read the content it vouches for: whatever
happens in between, an edit then changes the file's stamp, and the next run reads it again.
"""

from __future__ import annotations

import os
import time

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter built without it
    from hashlib import blake2b

#: How long before a stamp is taken a file must have last changed for the stamp to stand for its content.
SETTLED_NS = 2_000_000_000
Stamp = tuple[int, int, int, int]


def stamp_of(path: str) -> Stamp | None:
    """A file's stamp, or `None` when it changed too recently to be told apart by one.

    Raises `OSError` when the file cannot be looked at.
    """
    found = os.stat(path)
    if time.time_ns() - max(found.st_mtime_ns, found.st_ctime_ns) < SETTLED_NS:
        return None
    return (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino)


def content_digest(data: bytes) -> bytes:
    """The key of a file's content (the same for the result cache and the summary cache)."""
    return blake2b(data, digest_size=16).digest()
