"""Resource quantities: the canonical form the API server stores, and the other ways
people write the same amount in Git.

Each table maps a canonical quantity to spellings of the same value. The server turns
every spelling into the canonical one (`1000m` -> `"1"`, `0.5` -> `"500m"`,
`1024Mi` -> `"1Gi"`), so only the canonical form is ever seen live.
"""

from __future__ import annotations

import json
import random
from typing import Union

Quantity = Union[str, int, float]

CPU: dict[str, tuple[Quantity, ...]] = {
    "50m": (0.05,),
    "100m": (0.1, "0.1"),
    "200m": (0.2,),
    "250m": (0.25, "0.25"),
    "500m": (0.5, "0.5"),
    "750m": (0.75,),
    "1": ("1000m", 1, 1.0),
    "1500m": (1.5, "1.5"),
    "2": ("2000m", 2),
    "4": ("4000m", 4),
}

MEMORY: dict[str, tuple[Quantity, ...]] = {
    "64Mi": ("65536Ki",),
    "128Mi": ("131072Ki", "0.125Gi"),
    "256Mi": ("262144Ki", "0.25Gi"),
    "384Mi": ("393216Ki",),
    "512Mi": ("0.5Gi", "524288Ki"),
    "768Mi": ("0.75Gi",),
    "1Gi": ("1024Mi", "1048576Ki"),
    "1536Mi": ("1.5Gi",),
    "2Gi": ("2048Mi",),
    "3Gi": ("3072Mi",),
    "4Gi": ("4096Mi",),
    "8Gi": ("8192Mi",),
    "500M": ("0.5G", "500000k"),
    "1G": ("1000M", "1000000k"),
}

STORAGE: dict[str, tuple[Quantity, ...]] = {
    "1Gi": ("1024Mi",),
    "5Gi": ("5120Mi",),
    "10Gi": ("10240Mi",),
    "20Gi": ("20480Mi",),
    "50Gi": ("51200Mi",),
    "100Gi": ("102400Mi",),
    "200Gi": ("204800Mi",),
    "500Gi": ("512000Mi",),
    "1Ti": ("1024Gi",),
    "100G": ("0.1T", "100000M"),
}

SIZE_LIMIT: dict[str, tuple[Quantity, ...]] = {
    "64Mi": ("65536Ki",),
    "256Mi": ("0.25Gi",),
    "512Mi": ("0.5Gi",),
    "1Gi": ("1024Mi",),
    "2Gi": ("2048Mi",),
}


def _key(value: Quantity) -> str:
    return json.dumps(value)


# Every spelling (as JSON text, so that 1 and "1" differ) to its canonical form.
_CANONICAL: dict[str, str] = {}
for _table in (CPU, MEMORY, STORAGE, SIZE_LIMIT):
    for _canonical, _spellings in _table.items():
        _CANONICAL[_key(_canonical)] = _canonical
        for _spelling in _spellings:
            previous = _CANONICAL.setdefault(_key(_spelling), _canonical)
            if previous != _canonical:
                raise AssertionError(f"{_spelling!r} spells both {previous} and {_canonical}")


def canonical(value: Quantity) -> str:
    """The form the API server stores for a quantity written as `value`."""
    known = _CANONICAL.get(_key(value))
    if known is not None:
        return known
    if isinstance(value, str):
        return value
    raise ValueError(f"no canonical form known for {value!r}")


def spell(
    rng: random.Random,
    table: dict[str, tuple[Quantity, ...]],
    value: str,
    respell: bool,
    chance: float = 0.3,
) -> Quantity:
    """How Git writes the canonical quantity `value`: as is, or (when respelling is on,
    with probability `chance`) another spelling of the same amount."""
    spellings = table[value]
    if respell and spellings and rng.random() < chance:
        return rng.choice(spellings)
    return value


def pick(
    rng: random.Random,
    table: dict[str, tuple[Quantity, ...]],
    choices: tuple[str, ...] | None = None,
) -> str:
    """A canonical quantity of the table (or of `choices`, which must be in it)."""
    keys = choices if choices is not None else tuple(table)
    return rng.choice(keys)
