"""A believable salon's clients, generated from a seed: the same seed, the same salon.

Plain data, no I/O: `seeding` sends it through the services' real paths.
"""

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

FEMALE_FIRST: tuple[str, ...] = (
    "Анна",
    "Мария",
    "Елена",
    "Ольга",
    "Наталья",
    "Ирина",
    "Татьяна",
    "Светлана",
)
FEMALE_FIRST += ("Екатерина", "Юлия", "Дарья", "Алина", "Ксения", "Виктория", "Полина", "Вера")
MALE_FIRST: tuple[str, ...] = (
    "Александр",
    "Дмитрий",
    "Сергей",
    "Андрей",
    "Алексей",
    "Максим",
    "Иван",
    "Артём",
)
MALE_FIRST += ("Михаил", "Никита", "Павел", "Егор")
# Surnames in their male form; the female one adds "а" (or "ая" for "-ий").
SURNAMES: tuple[str, ...] = (
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
)
SURNAMES += ("Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев")
SURNAMES += ("Семёнов", "Егоров", "Павлов", "Козлов", "Степанов", "Николаев", "Орлов")
SURNAMES += ("Андреев", "Макаров", "Никитин", "Захаров", "Зайцев", "Соловьёв", "Белов")
SURNAMES += ("Крылов", "Яковлев", "Григорьев", "Романов", "Воробьёв", "Сергеев", "Тарасов")
SURNAMES += ("Жуковский", "Ковальский")
_LATIN = "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya"
TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", _LATIN.split(), strict=True))

SEGMENTS = ("Постоянные клиенты", "VIP", "Новые", "Давно не были", "Любят акции")
OUTLETS = (("salon-center", "pos-center-1"), ("salon-north", "pos-north-1"))
QUESTIONS = {
    "Как вы о нас узнали?": ("От друзей", "Instagram", "Яндекс Карты", "Проходила мимо"),
    "Какие услуги вам интересны?": ("Стрижки", "Окрашивание", "Маникюр", "Уход за лицом"),
    "Удобное время визита": ("Утро", "День", "Вечер", "Выходные"),
}
NOTES = (
    "Предпочитает мастера Ирину, записывать к ней.",
    "Аллергия на аммиачные красители: только безаммиачные.",
    "Просит напоминать о записи за день в мессенджере.",
    "Приходит с дочерью, удобно записывать двоих подряд.",
    "Не любит громкую музыку, сажать в дальний зал.",
    "Оставила отзыв на Яндекс Картах, поблагодарить при визите.",
    "Интересовалась абонементом на маникюр.",
)
# Services and goods with their prices.
CATALOG = (
    ("Стрижка женская", Decimal("1800.00")),
    ("Стрижка мужская", Decimal("1200.00")),
    ("Окрашивание в один тон", Decimal("4500.00")),
    ("Маникюр с покрытием", Decimal("1600.00")),
    ("Педикюр", Decimal("2200.00")),
    ("Укладка", Decimal("1300.00")),
    ("Шампунь восстанавливающий", Decimal("890.00")),
    ("Маска для волос", Decimal("1150.00")),
    ("Масло для кутикулы", Decimal("420.00")),
)
MESSAGES = (
    "Здравствуйте! Напоминаем о записи завтра. Ждём вас!",
    "Спасибо за визит! Будем рады видеть вас снова.",
    "Ваш заказ пришёл, можно забрать в салоне.",
)
REPLIES = ("Спасибо!", "Буду вовремя", "Можно перенести на час позже?", "👍")
BROADCAST = (
    "Скидка 20% на окрашивание",
    "Только до конца месяца: окрашивание со скидкой 20%. Записывайтесь в ответ на сообщение!",
)


@dataclass(frozen=True, slots=True)
class Line:
    name: str
    quantity: Decimal
    price: Decimal

    @property
    def amount(self) -> Decimal:
        # As the receipts service checks a line: to the kopeck, halves up.
        return (self.quantity * self.price).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Purchase:
    outlet: int  # index into OUTLETS
    at: datetime
    lines: tuple[Line, ...]
    by_kafka: bool  # sent over the POS topic rather than HTTP
    spend_share: Decimal  # share of the total the client asks to pay with bonuses
    returned: bool  # a later partial return of its first line

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))


@dataclass(frozen=True, slots=True)
class Client:
    phone: str
    first_name: str
    last_name: str
    gender: str
    birth_date: date | None
    email: str | None
    source: str
    channel: str | None
    outlet: int
    questionnaire: tuple[tuple[str, str], ...]
    segments: tuple[int, ...]
    notes: tuple[str, ...]
    purchases: tuple[Purchase, ...]
    messengers: tuple[tuple[str, str], ...]  # (channel, address); the first is the default
    messages: tuple[str, ...]
    reply: str | None
    nps: tuple[int, str | None] | None
    manual_accrual: Decimal | None
    manual_write_off: Decimal | None


@dataclass(frozen=True, slots=True)
class Salon:
    clients: tuple[Client, ...] = field(default_factory=tuple)


def salon(clients: int, seed: int = 7, now: datetime | None = None) -> Salon:
    rng = random.Random(seed)
    today = (now or datetime.now(UTC)).replace(microsecond=0)
    phones: set[str] = set()
    return Salon(tuple(_client(rng, index, today, phones) for index in range(clients)))


def _client(rng: random.Random, index: int, now: datetime, phones: set[str]) -> Client:
    female = rng.random() < 0.78  # salons' clients are mostly women
    first = rng.choice(FEMALE_FIRST if female else MALE_FIRST)
    last = _surname(rng.choice(SURNAMES), female)
    source = rng.choices(("POS", "MESSENGER", "MANUAL", "WEB"), (40, 30, 20, 10))[0]
    messengers = _messengers(rng, index)
    purchases = _purchases(rng, now)
    return Client(
        phone=_phone(rng, phones),
        first_name=first,
        last_name=last,
        gender="FEMALE" if female else "MALE",
        birth_date=_birth_date(rng) if rng.random() < 0.7 else None,
        email=f"{_latin(first)}.{_latin(last)}{index}@example.ru" if rng.random() < 0.5 else None,
        source=source,
        channel=messengers[0][0] if source == "MESSENGER" and messengers else None,
        outlet=rng.randrange(len(OUTLETS)),
        questionnaire=tuple(
            (question, rng.choice(answers))
            for question, answers in QUESTIONS.items()
            if rng.random() < 0.6
        ),
        segments=tuple(sorted(rng.sample(range(len(SEGMENTS)), rng.choice((0, 1, 1, 2))))),
        notes=tuple(rng.sample(NOTES, rng.choice((0, 0, 0, 1, 2)))),
        purchases=purchases,
        messengers=messengers,
        messages=tuple(rng.sample(MESSAGES, rng.choice((0, 0, 1, 2)))) if messengers else (),
        reply=rng.choice(REPLIES) if messengers and rng.random() < 0.3 else None,
        nps=_nps(rng) if messengers and purchases and rng.random() < 0.5 else None,
        manual_accrual=Decimal(rng.choice(("100.00", "150.00", "300.00")))
        if rng.random() < 0.08
        else None,
        manual_write_off=Decimal("50.00") if rng.random() < 0.04 else None,
    )


def _surname(male: str, female: bool) -> str:
    if not female:
        return male
    return male[:-2] + "ая" if male.endswith("ий") else male + "а"


def _latin(text: str) -> str:
    return "".join(TRANSLIT.get(letter, letter) for letter in text.lower()).replace("-", "")


def _phone(rng: random.Random, taken: set[str]) -> str:
    while True:
        phone = f"+79{rng.randrange(10**9):09d}"
        if phone not in taken:
            taken.add(phone)
            return phone


def _birth_date(rng: random.Random) -> date:
    return date(1965, 1, 1) + timedelta(days=rng.randrange(365 * 40))


def _messengers(rng: random.Random, index: int) -> tuple[tuple[str, str], ...]:
    if rng.random() < 0.35:
        return ()
    first = rng.choices(("TELEGRAM", "WHATSAPP", "VK"), (60, 30, 10))[0]
    linked = [(first, _address(first, index))]
    if rng.random() < 0.15:
        second = "WHATSAPP" if first != "WHATSAPP" else "TELEGRAM"
        linked.append((second, _address(second, index)))
    return tuple(linked)


def _address(channel: str, index: int) -> str:
    # Telegram and VK know a client by a numeric id, WhatsApp by the phone's digits.
    return {"TELEGRAM": f"{5_100_000_000 + index}", "VK": f"{700_000 + index}"}.get(
        channel, f"7999{index:07d}"
    )


def _purchases(rng: random.Random, now: datetime) -> tuple[Purchase, ...]:
    count = rng.choices((0, 1, 2, 3, 5, 8, 12), (10, 20, 20, 15, 15, 12, 8))[0]
    moments = sorted(now - timedelta(minutes=rng.randrange(5, 60 * 24 * 300)) for _ in range(count))
    return tuple(
        Purchase(
            outlet=rng.randrange(len(OUTLETS)),
            at=moment,
            lines=tuple(
                Line(name, Decimal(rng.choice((1, 1, 1, 2))), price)
                for name, price in rng.sample(CATALOG, rng.choice((1, 1, 2, 3)))
            ),
            by_kafka=rng.random() < 0.5,
            # Paying with bonuses needs some on account: never on the first visit.
            spend_share=Decimal(rng.choice(("0", "0", "0", "0.1", "0.2")) if position else "0"),
            returned=rng.random() < 0.04,
        )
        for position, moment in enumerate(moments)
    )


def _nps(rng: random.Random) -> tuple[int, str | None]:
    score = rng.choices(range(11), (1, 1, 1, 1, 2, 2, 3, 6, 12, 20, 30))[0]
    if score >= 9:
        return score, "Всё отлично, спасибо мастеру!" if rng.random() < 0.5 else None
    if score <= 6:
        return score, rng.choice(("Долго ждала своей очереди", "Дороговато", None))
    return score, None
