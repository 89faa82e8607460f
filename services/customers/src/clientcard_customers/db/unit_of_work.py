from clientcard_customers.db.client_list import ClientList
from clientcard_customers.db.customers import CustomerRepository
from clientcard_customers.db.figures import FiguresRepository
from clientcard_customers.db.job_effects import SegmentEffects
from clientcard_customers.db.jobs import JobRepository
from clientcard_customers.db.memberships import DynamicMemberships
from clientcard_customers.db.merging import MergeRepository
from clientcard_customers.db.notes import NoteRepository
from clientcard_customers.db.segments import SegmentRepository
from clientcard_kit.unit_of_work import UnitOfWork

SOURCE = "/clientcard/customers"


class CustomersUnitOfWork(UnitOfWork):
    customers: CustomerRepository
    segments: SegmentRepository
    notes: NoteRepository
    client_list: ClientList
    figures: FiguresRepository
    memberships: DynamicMemberships
    jobs: JobRepository
    segment_effects: SegmentEffects
    merging: MergeRepository
