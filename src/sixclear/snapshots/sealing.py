"""The seal on a period's snapshots: a detached CMS signature over their manifest.

Signing keys and trusted roots belong to the reports (`reports.signing`, pyHanko), a layer
above; the reports app registers its signer and verifier here when it starts (a port, like
`sixclear.upkeep`), so this app never imports it. Without a registered signer, or without a
key configured for the seal, snapshots are stored unsealed and `sixclear snapshots seal`
seals them later.
"""

from __future__ import annotations

from collections.abc import Callable

# data -> (DER of a detached CMS SignedData, the signer's name), or None without a key
Sealer = Callable[[bytes], "tuple[bytes, str] | None"]
# (data, DER) -> whether the signature is intact and chains to a trusted root
Verifier = Callable[[bytes, bytes], bool]

_sealer: list[Sealer] = []
_verifier: list[Verifier] = []


def register(sealer: Sealer, verifier: Verifier) -> None:
    _sealer[:] = [sealer]
    _verifier[:] = [verifier]


def seal(data: bytes) -> tuple[bytes, str] | None:
    return _sealer[0](data) if _sealer else None


def verify(data: bytes, signature: bytes) -> bool:
    return bool(signature) and bool(_verifier) and _verifier[0](data, signature)
