from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_kit.unit_of_work import UnitOfWork
from clientcard_receipts.db.api_keys import PosApiKeyRepository
from clientcard_receipts.db.customer_links import CustomerLinks
from clientcard_receipts.db.known_customers import KnownCustomers
from clientcard_receipts.db.receipts import ReceiptRepository
from clientcard_receipts.db.stats import PurchaseStatsRepository

SOURCE = "/clientcard/receipts"


class ReceiptsUnitOfWork(UnitOfWork):
    def _bind(self, session: AsyncSession) -> None:
        super()._bind(session)
        self.receipts = ReceiptRepository(session, self.tenant)
        self.customer_links = CustomerLinks(session, self.tenant)
        self.known_customers = KnownCustomers(session, self.tenant)
        self.stats = PurchaseStatsRepository(session, self.tenant)
        self.api_keys = PosApiKeyRepository(session, self.tenant)
