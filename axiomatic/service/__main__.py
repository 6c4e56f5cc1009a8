"""`python -m axiomatic.service --runtime <dir>`: run the service in the foreground (the client detaches it)."""

import argparse
import logging
import sys

from ..config import Config
from .server import serve


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m axiomatic.service")
    parser.add_argument("--runtime", help="unused placeholder for ps; the runtime comes from the configuration")
    parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)
    return serve(Config())


sys.exit(main())
