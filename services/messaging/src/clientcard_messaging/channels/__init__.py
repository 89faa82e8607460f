"""Channel providers: how a text reaches a customer's messenger and how replies come back."""
