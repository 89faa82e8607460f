from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_customers.db.client_list import ClientList
from clientcard_customers.db.customers import CustomerRepository
from clientcard_customers.db.figures import FiguresRepository
from clientcard_customers.db.notes import NoteRepository
from clientcard_customers.db.segments import SegmentRepository
from clientcard_kit.unit_of_work import UnitOfWork

SOURCE = "/clientcard/customers"


class CustomersUnitOfWork(UnitOfWork):
    def _bind(self, session: AsyncSession) -> None:
        super()._bind(session)
        self.customers = CustomerRepository(session, self.tenant)
        self.segments = SegmentRepository(session, self.tenant)
        self.notes = NoteRepository(session, self.tenant)
        self.client_list = ClientList(session)
        self.figures = FiguresRepository(session)
