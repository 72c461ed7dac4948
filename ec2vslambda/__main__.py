"""``python -m ec2vslambda``: the command line (:mod:`ec2vslambda.cli`)."""

import sys

from .cli import main

if __name__ == "__main__":  # importing the module (the smoke test imports every one) runs nothing
    sys.exit(main())
