"""``python -m ec2vslambda``: the command line (:mod:`ec2vslambda.cli`)."""

import sys

from .cli import main

sys.exit(main())
