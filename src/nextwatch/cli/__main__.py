import sys

from nextwatch.cli import main

sys.exit(main())
