from clientcard_bonuses.service import SERVICE
from clientcard_kit.cli import service_main

raise SystemExit(service_main(SERVICE))
