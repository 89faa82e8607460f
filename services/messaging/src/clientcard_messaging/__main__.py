from clientcard_kit.cli import service_main
from clientcard_messaging.service import SERVICE

raise SystemExit(service_main(SERVICE))
