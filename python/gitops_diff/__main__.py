"""`python -m gitops_diff` is the `gitops-diff` command."""

import sys

from gitops_diff.cli import main

sys.exit(main())
