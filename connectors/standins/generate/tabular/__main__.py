"""``python -m connectors.standins.generate.tabular [DIR]``: (re)write the file-based samples."""

from __future__ import annotations

import sys
from pathlib import Path

from connectors.standins.generate.tabular import SAMPLES_DIR, write_samples

if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLES_DIR
    for path in write_samples(root):
        print(path)
