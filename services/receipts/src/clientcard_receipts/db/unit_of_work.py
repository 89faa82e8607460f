from clientcard_kit.unit_of_work import UnitOfWork
from clientcard_receipts.db.api_keys import PosApiKeyRepository
from clientcard_receipts.db.customer_links import CustomerLinks
from clientcard_receipts.db.known_customers import KnownCustomers
from clientcard_receipts.db.merging import MergedAway, ReceiptMerges
from clientcard_receipts.db.receipts import ReceiptRepository
from clientcard_receipts.db.stats import PurchaseStatsRepository

SOURCE = "/clientcard/receipts"


class ReceiptsUnitOfWork(UnitOfWork):
    receipts: ReceiptRepository
    customer_links: CustomerLinks
    known_customers: KnownCustomers
    stats: PurchaseStatsRepository
    api_keys: PosApiKeyRepository
    merging: ReceiptMerges
    merged_away: MergedAway
