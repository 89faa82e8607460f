"""Each operation text parsed and validated once per process.

A subgraph hears the same few operations all day: the gateway's query plans are fixed
per client query. Parsing and validating such a document cost more than executing it
(validation walks every selection with a dozen rules), so both outcomes are kept per
operation text, in a bounded LRU so that a client sending endless distinct texts only
evicts entries.

Strawberry's own `ParserCache` and `ValidationCache` key validation on the rule classes of
the request, and its `QueryDepthLimiter` builds a new rule class per request, so together
they never hit; here the depth rule is built once with the schema.
"""

from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from graphql import DocumentNode, GraphQLError, parse
from graphql.validation import ASTValidationRule
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

Rules = tuple[type[ASTValidationRule], ...]
Validate = Callable[[DocumentNode, Rules], list[GraphQLError]]


@dataclass(slots=True)
class _Checked:
    document: DocumentNode
    # Validation outcome per rule set (one set in practice; kept apart to stay correct).
    errors: dict[Rules, list[GraphQLError]]


class OperationCache:
    """The parsed documents and validation errors of up to `maxsize` operation texts."""

    def __init__(self, maxsize: int, *, max_tokens: int | None = None) -> None:
        if maxsize < 1:
            raise ValueError("an operation cache holds at least one operation")
        self._maxsize = maxsize
        # A longer document is refused while it is parsed, before it costs more.
        self.max_tokens = max_tokens
        self._entries: OrderedDict[str, _Checked] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def document(self, query: str) -> DocumentNode:
        """The parsed `query`; a syntax error raises GraphQLError and is not kept."""
        entry = self._entries.get(query)
        if entry is None:
            entry = _Checked(document=parse(query, max_tokens=self.max_tokens), errors={})
            self._entries[query] = entry
            if len(self._entries) > self._maxsize:
                self._entries.popitem(last=False)
        else:
            self._entries.move_to_end(query)
        return entry.document

    def errors(self, query: str, validate: Validate, rules: Rules) -> list[GraphQLError]:
        """The validation errors of `query` (parsed through `document` first)."""
        entry = self._entries.get(query)
        if entry is None:
            # Evicted between parse and validate by other requests: validate afresh.
            return validate(self.document(query), rules)
        known = entry.errors.get(rules)
        if known is None:
            known = validate(entry.document, rules)
            entry.errors[rules] = known
        # A copy: later stages append to and rewrite the list of a request.
        return list(known)


class CachedOperations(SchemaExtension):
    """Serves parse and validation of known operation texts from an `OperationCache`."""

    def __init__(self, cache: OperationCache) -> None:
        super().__init__()
        self._cache = cache

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query and not context.parse_options:
            try:
                context.graphql_document = self._cache.document(context.query)
            except GraphQLError:
                # Left to Strawberry's own parse, which reports it, under the same limit.
                if self._cache.max_tokens is not None:
                    context.parse_options["max_tokens"] = self._cache.max_tokens
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.query and context.graphql_document is not None:
            schema = context.schema._schema

            def validate(document: DocumentNode, rules: Rules) -> list[GraphQLError]:
                return validate_document(schema, document, rules)

            context.pre_execution_errors = self._cache.errors(
                context.query, validate, tuple(context.validation_rules)
            )
        yield
