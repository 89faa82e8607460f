"""The event catalog of clientcard: what travels between the services, and in which form.

`catalog` maps every CloudEvents type to its model (`events.*`), `pos` reads the receipts
POS systems publish, and `export` writes the JSON Schemas and the AsyncAPI document.
Importing the package itself loads none of them.
"""
