import sys
from pathlib import Path

# The tests import the `fba` package the way the training scripts do, from training/.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
