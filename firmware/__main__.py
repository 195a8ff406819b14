"""`python -m firmware` runs the daemon (same as `ringbackd`)."""

import sys

from firmware.daemon import main

sys.exit(main())
