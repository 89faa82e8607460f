import sys

from clientcard_devstack.cli import main

sys.exit(main())
