#!/usr/bin/env bash
# A till's whole path against `make up`: a POS key, a client registered at the counter, a
# quote, a reservation, the receipt that spends it, and what the card shows. Every call is
# the one README.md prints; run it as `bash docs/examples/till.sh`.
set -euo pipefail
GATEWAY=http://127.0.0.1:4000/graphql
RECEIPTS=http://127.0.0.1:8004/pos/v1
TOKEN=$(make -s token)
graphql() {  # graphql QUERY: the answer's data, through the gateway with the owner's token
  curl -sf "$GATEWAY" -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
    -d "$(python3 -c 'import json,sys; print(json.dumps({"query": sys.argv[1]}))' "$1")"
}
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# 1. Once per till: the owner creates its API key (the secret is shown this once).
POS_SECRET=$(graphql 'mutation { createPosApiKey(outletId: "salon-center", posId: "pos-center-1") { secret } }' \
  | field 'd["data"]["createPosApiKey"]["secret"]')

# 2. A client registers at the counter...
PHONE="+7916$(date +%s | tail -c 8)"
CUSTOMER=$(graphql "mutation { registerCustomer(input: {phone: \"$PHONE\", firstName: \"Ирина\", source: POS}) { id } }" \
  | field 'd["data"]["registerCustomer"]["id"]')
graphql "mutation { accrueBonuses(customerId: \"$CUSTOMER\", amount: \"500.00\", comment: \"Подарок\") { balanceAfter } }" >/dev/null

# 3. ...the till asks what may be spent on a sale of 1800.00...
curl -s "$RECEIPTS/bonus-quotes" -H "authorization: Bearer $POS_SECRET" \
  -H 'content-type: application/json' \
  -d "{\"customer\": {\"phone\": \"$PHONE\"}, \"total\": \"1800.00\"}"
echo

# 4. ...reserves 300.00 of it for this sale (no other till or manager can take them)...
RESERVATION=$(curl -s "$RECEIPTS/bonus-reservations" -H "authorization: Bearer $POS_SECRET" \
  -H 'content-type: application/json' \
  -d "{\"customer\": {\"id\": \"$CUSTOMER\"}, \"total\": \"1800.00\", \"amount\": \"300.00\"}" \
  | tee /dev/stderr | field 'd["id"]')
echo

# 5. ...and sends the receipt carrying the reservation: it spends exactly those 300.00.
NUMBER="T-$(date +%s)"
RECEIPT=$(curl -s "$RECEIPTS/receipts" -H "authorization: Bearer $POS_SECRET" \
  -H 'content-type: application/json' -d "{
    \"posId\": \"pos-center-1\", \"outletId\": \"salon-center\", \"number\": \"$NUMBER\",
    \"type\": \"SALE\", \"purchasedAt\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\",
    \"customer\": {\"id\": \"$CUSTOMER\"},
    \"items\": [{\"name\": \"Стрижка женская\", \"quantity\": \"1\", \"price\": \"1800.00\", \"amount\": \"1800.00\"}],
    \"total\": \"1800.00\", \"bonusesSpent\": \"300.00\", \"paid\": \"1500.00\",
    \"bonusReservationId\": \"$RESERVATION\"}" | tee /dev/stderr | field 'd["id"]')
echo

# 6. What the card shows a moment later.
sleep 2
graphql "{ receipt(id: \"$RECEIPT\") { number bonusesSpent bonusesAccrued
  bonusRedemption { requested applied status reason } }
  customer(id: \"$CUSTOMER\") { bonuses { balance operations(first: 3) { edges { node {
  type event amount occurredAt recordedAt } } } } } }" | python3 -m json.tool --no-ensure-ascii
