"""A model's row with the rows its foreign keys point to, by SQL written once: select_related by hand.

Django compiles a queryset's SQL anew every time it runs. For access_assessment, which runs on every request
about an assessment, compiling a four-table select_related with the membership columns cost about three times
what PostgreSQL took to answer it (bench/questionnaire.py). JoinedRows writes the column list and joins once
from the models' own field lists, and turns a row into model instances the way Django's iterator does: database
converters applied (JSON parsed, SQLite's dates and booleans read), the related instances cached on the main
one, deferred fields left deferred.
"""

from functools import cached_property

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper


class JoinedRows:
    """The main model as `t0`, each named foreign key's model as `t1`, `t2`, … (in the order given)."""

    def __init__(self, model: type[models.Model], *, related: tuple[str, ...], defer: tuple[str, ...] = ()):
        self.model = model
        self.relations = [model._meta.get_field(name) for name in related]
        self.tables = [(model, "t0", [f for f in model._meta.concrete_fields if f.name not in defer])] + [
            (relation.related_model, f"t{number}", list(relation.related_model._meta.concrete_fields))
            for number, relation in enumerate(self.relations, 1)
        ]
        self._converters: dict[str, list] = {}

    @cached_property
    def columns(self) -> str:
        return ", ".join(f'{alias}."{field.column}"' for _model, alias, fields in self.tables for field in fields)

    @cached_property
    def width(self) -> int:
        return sum(len(fields) for _model, _alias, fields in self.tables)

    @cached_property
    def joins(self) -> str:
        """The FROM clause: the main table and an inner join per (non-null) foreign key."""
        clauses = [f'"{self.model._meta.db_table}" t0']
        for relation, (model, alias, _fields) in zip(self.relations, self.tables[1:], strict=True):
            target = relation.target_field.column
            clauses.append(f'JOIN "{model._meta.db_table}" {alias} ON {alias}."{target}" = t0."{relation.column}"')
        return " ".join(clauses)

    def instance(self, row, connection: BaseDatabaseWrapper) -> models.Model:
        """The main model's instance from the first `width` values of a row, its relations cached on it."""
        values = self._converted(row[: self.width], connection)
        instances, start = [], 0
        for model, _alias, fields in self.tables:
            names = [field.attname for field in fields]
            instances.append(model.from_db(connection.alias, names, values[start : start + len(fields)]))
            start += len(fields)
        main = instances[0]
        for relation, related in zip(self.relations, instances[1:], strict=True):
            relation.set_cached_value(main, related)
        return main

    def _converted(self, values, connection: BaseDatabaseWrapper) -> list:
        converters = self._converters.get(connection.vendor)
        if converters is None:
            converters = self._converters[connection.vendor] = [
                (column, connection.ops.get_db_converters(column) + column.get_db_converters(connection))
                for _model, alias, fields in self.tables
                for column in (field.get_col(alias) for field in fields)
            ]
        converted = []
        for value, (column, functions) in zip(values, converters, strict=True):
            for function in functions:
                value = function(value, column, connection)
            converted.append(value)
        return converted
