import sys

from roomplan.cli import main

sys.exit(main())
