"""The contract's enums as GraphQL enums, declared once for every subgraph.

Federation composes an enum that two subgraphs both declare only when the two agree, so
each enum is given its GraphQL name here, next to the others, and a service imports the
ones its types use. Strawberry puts in a schema only the enums a field refers to.
"""

import strawberry

from clientcard_contracts import enums

GenderType = strawberry.enum(enums.Gender, name="Gender")
RegistrationSourceType = strawberry.enum(enums.RegistrationSource, name="RegistrationSource")
ChannelType = strawberry.enum(enums.Channel, name="Channel")
MessengerStatusType = strawberry.enum(enums.MessengerStatus, name="MessengerStatus")
ReceiptTypeType = strawberry.enum(enums.ReceiptType, name="ReceiptType")
BonusOperationTypeType = strawberry.enum(enums.BonusOperationType, name="BonusOperationType")
BonusEventType = strawberry.enum(enums.BonusEvent, name="BonusEvent")
MessageDirectionType = strawberry.enum(enums.MessageDirection, name="MessageDirection")
MessageKindType = strawberry.enum(enums.MessageKind, name="MessageKind")
AutomationKindType = strawberry.enum(enums.AutomationKind, name="AutomationKind")
DeliveryStatusType = strawberry.enum(enums.DeliveryStatus, name="DeliveryStatus")
BroadcastStatusType = strawberry.enum(enums.BroadcastStatus, name="BroadcastStatus")
ReservationStatusType = strawberry.enum(enums.ReservationStatus, name="ReservationStatus")
RedemptionStatusType = strawberry.enum(enums.RedemptionStatus, name="RedemptionStatus")
