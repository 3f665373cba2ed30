"""Recursive-descent parser for the SOQL subset migration tools use.

Syntax errors are raised as MALFORMED_QUERY naming the first token the grammar cannot take, the way
the org reports them (`unexpected token: 'FORM'`).
"""

from __future__ import annotations

from emulators.salesforce.soql.dates import DATE_LITERALS, DATE_LITERALS_WITH_N
from emulators.salesforce.soql.errors import malformed, unexpected_token
from emulators.salesforce.soql.lexer import Kind, Token, tokenize
from emulators.salesforce.soql.nodes import (
    Comparison,
    Condition,
    CountItem,
    FieldsItem,
    Junction,
    Not,
    Operator,
    OrderItem,
    Path,
    Query,
    SelectItem,
    SubqueryItem,
    Value,
)

RESERVED = frozenset(
    [
        "AND",
        "ASC",
        "DESC",
        "EXCLUDES",
        "FIRST",
        "FROM",
        "GROUP",
        "HAVING",
        "IN",
        "INCLUDES",
        "LAST",
        "LIKE",
        "LIMIT",
        "NOT",
        "NULL",
        "NULLS",
        "OR",
        "SELECT",
        "WHERE",
        "WITH",
        "ORDER",
        "BY",
        "OFFSET",
        "FOR",
        "TRUE",
        "FALSE",
        "USING",
    ]
)
"""Words that cannot name a field; met where a field is expected they are unexpected tokens."""

_CLAUSE_WORDS = frozenset(["WHERE", "WITH", "GROUP", "ORDER", "LIMIT", "OFFSET", "FOR", "USING", "HAVING"])

_UNSUPPORTED_FUNCTIONS = frozenset(
    [
        "SUM",
        "AVG",
        "MIN",
        "MAX",
        "COUNT_DISTINCT",
        "CALENDAR_YEAR",
        "CALENDAR_MONTH",
        "DAY_ONLY",
        "FORMAT",
        "TOLABEL",
        "CONVERTCURRENCY",
        "GROUPING",
    ]
)


def parse(soql: str) -> Query:
    """Parse a whole SOQL statement."""
    parser = _Parser(soql)
    query = parser.query()
    parser.expect_end()
    return query


class _Parser:
    """Holds the token stream and the cursor."""

    def __init__(self, soql: str) -> None:
        self.soql = soql
        self.tokens = tokenize(soql)
        self.index = 0
        self.features: set[str] = set()

    # -- cursor helpers --------------------------------------------------------------------------

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def peek(self, ahead: int = 1) -> Token:
        return self.tokens[min(self.index + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.current
        if token.kind is not Kind.EOF:
            self.index += 1
        return token

    def fail(self, token: Token | None = None) -> Exception:
        token = token or self.current
        return unexpected_token(self.soql, token.offset, None if token.kind is Kind.EOF else token.text)

    def expect_word(self, *words: str) -> Token:
        if not self.current.is_word(*words):
            raise self.fail()
        return self.advance()

    def expect_punct(self, char: str) -> Token:
        if self.current.kind is not Kind.PUNCT or self.current.text != char:
            raise self.fail()
        return self.advance()

    def at_punct(self, char: str) -> bool:
        return self.current.kind is Kind.PUNCT and self.current.text == char

    def expect_end(self) -> None:
        if self.current.kind is not Kind.EOF:
            raise self.fail()

    # -- statement --------------------------------------------------------------------------------

    def query(self) -> Query:
        """SELECT ... FROM ... [WHERE] [GROUP BY] [ORDER BY] [LIMIT] [OFFSET] [FOR ...]."""
        self.expect_word("SELECT")
        select = self.select_list()
        self.expect_word("FROM")
        sobject_token = self.advance()
        if sobject_token.kind is not Kind.NAME or "." in sobject_token.text:
            raise self.fail(sobject_token)
        alias = None
        if self.current.kind is Kind.NAME and self.current.text.upper() not in _CLAUSE_WORDS:
            alias = self.advance().text
        where = self.where_clause()
        self.with_clause()
        group_by = self.group_by_clause()
        order_by = self.order_by_clause()
        limit = self.integer_clause("LIMIT")
        offset = self.integer_clause("OFFSET")
        if self.current.is_word("FOR"):
            self.advance()
            self.expect_word("VIEW", "REFERENCE", "UPDATE")
        return Query(
            select=select,
            sobject=sobject_token.text,
            sobject_offset=sobject_token.offset,
            alias=alias,
            where=where,
            group_by=group_by,
            order_by=order_by,
            limit=limit,
            offset=offset,
            features=frozenset(self.features),
        )

    def select_list(self) -> tuple[SelectItem, ...]:
        items = [self.select_item()]
        while self.at_punct(","):
            self.advance()
            items.append(self.select_item())
        return tuple(items)

    def select_item(self) -> SelectItem:
        token = self.current
        if self.at_punct("("):
            self.advance()
            subquery = self.query()
            self.expect_punct(")")
            self.features.add("subquery")
            return SubqueryItem(subquery, token.offset)
        if token.is_word("TYPEOF"):
            raise malformed(self.soql, token.offset, "TYPEOF is not supported by this org emulator")
        if token.kind is Kind.NAME and self.peek().kind is Kind.PUNCT and self.peek().text == "(":
            if token.is_word("FIELDS"):
                return self.fields_item()
            return self.function_item()
        return self.path()

    def fields_item(self) -> FieldsItem:
        name = self.advance()
        self.expect_punct("(")
        group = self.expect_word("ALL", "STANDARD", "CUSTOM").text.upper()
        self.expect_punct(")")
        return FieldsItem(group, name.offset)  # type: ignore[arg-type]

    def function_item(self) -> CountItem:
        name = self.advance()
        if name.text.upper() != "COUNT":
            if name.text.upper() in _UNSUPPORTED_FUNCTIONS:
                reason = f"{name.text.upper()}() is not supported by this org emulator"
                raise malformed(self.soql, name.offset, reason)
            raise self.fail(name)
        self.expect_punct("(")
        path = None if self.at_punct(")") else self.path()
        self.expect_punct(")")
        self.features.add("COUNT")
        alias = None
        if self.current.kind is Kind.NAME and self.current.text.upper() not in RESERVED:
            alias = self.advance().text
        return CountItem(path, alias, name.offset)

    def path(self) -> Path:
        token = self.current
        if token.kind is not Kind.NAME or token.text.upper() in RESERVED:
            raise self.fail()
        self.advance()
        return Path(token.text, token.offset)

    # -- clauses ----------------------------------------------------------------------------------

    def where_clause(self) -> Condition | None:
        if not self.current.is_word("WHERE"):
            return None
        self.advance()
        return self.condition()

    def with_clause(self) -> None:
        """`WITH SECURITY_ENFORCED | USER_MODE | SYSTEM_MODE`: accepted and without effect, as every
        emulator user sees every record."""
        if self.current.is_word("WITH"):
            self.advance()
            self.expect_word("SECURITY_ENFORCED", "USER_MODE", "SYSTEM_MODE")

    def group_by_clause(self) -> tuple[Path, ...]:
        if not self.current.is_word("GROUP"):
            return ()
        self.advance()
        self.expect_word("BY")
        self.features.add("GROUP BY")
        paths = [self.path()]
        while self.at_punct(","):
            self.advance()
            paths.append(self.path())
        if self.current.is_word("HAVING"):
            raise malformed(self.soql, self.current.offset, "HAVING is not supported by this org emulator")
        return tuple(paths)

    def order_by_clause(self) -> tuple[OrderItem, ...]:
        if not self.current.is_word("ORDER"):
            return ()
        self.advance()
        self.expect_word("BY")
        items = [self.order_item()]
        while self.at_punct(","):
            self.advance()
            items.append(self.order_item())
        return tuple(items)

    def order_item(self) -> OrderItem:
        path = self.path()
        descending = False
        if self.current.is_word("ASC", "DESC"):
            descending = self.advance().text.upper() == "DESC"
        nulls_first: bool | None = None
        if self.current.is_word("NULLS"):
            self.advance()
            nulls_first = self.expect_word("FIRST", "LAST").text.upper() == "FIRST"
        return OrderItem(path, descending, nulls_first)

    def integer_clause(self, word: str) -> int | None:
        if not self.current.is_word(word):
            return None
        self.advance()
        token = self.current
        if token.kind is not Kind.NUMBER or not token.text.isdigit():
            raise self.fail()
        self.advance()
        if word == "OFFSET":
            self.features.add("OFFSET")
        return int(token.text)

    # -- conditions -------------------------------------------------------------------------------

    def condition(self) -> Condition:
        """`[NOT] term` optionally followed by a run of one junction word (AND or OR, not both)."""
        first = self.negatable_term()
        if not self.current.is_word("AND", "OR"):
            return first
        junction = self.current.text.upper()
        operands = [first]
        while self.current.is_word(junction):
            self.advance()
            operands.append(self.term())
        if self.current.is_word("AND", "OR"):
            raise self.fail()  # mixing AND and OR needs parentheses in SOQL
        return Junction(junction, tuple(operands))  # type: ignore[arg-type]

    def negatable_term(self) -> Condition:
        if self.current.is_word("NOT"):
            self.advance()
            return Not(self.term())
        return self.term()

    def term(self) -> Condition:
        if self.at_punct("("):
            self.advance()
            inner = self.condition()
            self.expect_punct(")")
            return inner
        return self.comparison()

    def comparison(self) -> Comparison:
        path = self.path()
        token = self.current
        if token.kind is Kind.OP:
            self.advance()
            operator: Operator = "!=" if token.text == "<>" else token.text  # type: ignore[assignment]
            return Comparison(path, operator, (self.value(),), operator_offset=token.offset)
        if token.is_word("NOT") and self.peek().is_word("IN"):
            self.advance()
            self.advance()
            return self.in_list(path, "NOT IN", token.offset)
        if token.is_word("IN"):
            self.advance()
            return self.in_list(path, "IN", token.offset)
        if token.is_word("LIKE"):
            self.advance()
            return Comparison(path, "LIKE", (self.value(),), operator_offset=token.offset)
        if token.is_word("INCLUDES", "EXCLUDES"):
            self.advance()
            operator = token.text.upper()  # type: ignore[assignment]
            return Comparison(path, operator, self.value_list(), operator_offset=token.offset)
        raise self.fail()

    def in_list(self, path: Path, operator: Operator, operator_offset: int) -> Comparison:
        if self.at_punct("(") and self.peek().is_word("SELECT"):
            self.advance()
            subquery = self.query()
            self.expect_punct(")")
            self.features.add("semi-join")
            return Comparison(path, operator, (), subquery, operator_offset)
        return Comparison(path, operator, self.value_list(), operator_offset=operator_offset)

    def value_list(self) -> tuple[Value, ...]:
        self.expect_punct("(")
        values = [self.value()]
        while self.at_punct(","):
            self.advance()
            values.append(self.value())
        self.expect_punct(")")
        return tuple(values)

    def value(self) -> Value:
        token = self.advance()
        simple_kinds = {Kind.NUMBER: "number", Kind.DATE: "date", Kind.DATETIME: "datetime"}
        if token.kind is Kind.STRING:
            return Value("string", token.value, token.offset, token.like_regex)
        if token.kind in simple_kinds:
            return Value(simple_kinds[token.kind], token.text, token.offset)  # type: ignore[arg-type]
        if token.is_word("TRUE", "FALSE"):
            return Value("boolean", token.text.lower(), token.offset)
        if token.is_word("NULL"):
            return Value("null", "null", token.offset)
        if token.kind is Kind.NAME and token.text.upper() in DATE_LITERALS:
            return Value("date_literal", token.text.upper(), token.offset)
        if token.kind is Kind.NAME and token.text.upper() in DATE_LITERALS_WITH_N:
            return self.date_literal_with_n(token)
        raise self.fail(token)

    def date_literal_with_n(self, token: Token) -> Value:
        self.expect_punct(":")
        number = self.advance()
        if number.kind is not Kind.NUMBER or not number.text.isdigit():
            raise self.fail(number)
        return Value("date_literal", token.text.upper(), token.offset, n=int(number.text))
