from clientcard_kit.cli import service_main
from clientcard_receipts.service import SERVICE

raise SystemExit(service_main(SERVICE))
