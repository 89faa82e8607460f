from clientcard_bonuses.db.accounts import AccountRepository
from clientcard_bonuses.db.birthdays import BirthdayRepository
from clientcard_bonuses.db.merging import AccountMerges, MergedAway
from clientcard_bonuses.db.operations import OperationRepository
from clientcard_bonuses.db.programs import ProgramRepository
from clientcard_bonuses.db.receipts import ReceiptRepository
from clientcard_bonuses.db.reservations import ReservationRepository
from clientcard_bonuses.db.standing import StandingRepository
from clientcard_kit.unit_of_work import UnitOfWork

SOURCE = "/clientcard/bonuses"


class BonusesUnitOfWork(UnitOfWork):
    """Events are written to the outbox together at commit: a batch of receipts
    announces hundreds of operations."""

    accounts: AccountRepository
    birthdays: BirthdayRepository
    merging: AccountMerges
    merged_away: MergedAway
    operations: OperationRepository
    programs: ProgramRepository
    receipts: ReceiptRepository
    reservations: ReservationRepository
    standing: StandingRepository
