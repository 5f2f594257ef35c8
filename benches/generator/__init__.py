"""A drift corpus generator: a GitOps repository, the live cluster dump it drifted
from, and the ground truth of every drift between the two.

    >>> from benches.generator import Options, generate
    >>> result = generate("/tmp/corpus", Options(objects=1000, seed=1))

or `python -m benches.generator --objects 1000 --seed 1 --out /tmp/corpus`. See
benches/README.md for the layout and the meaning of truth.json.
"""

from benches.generator.corpus import TRUTH_SCHEMA, Options, Result, generate
from benches.generator.drift import DRIFTS

__all__ = ["DRIFTS", "TRUTH_SCHEMA", "Options", "Result", "generate"]
