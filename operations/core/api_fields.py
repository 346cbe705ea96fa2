"""Serializer fields shared by the apps' APIs."""

from __future__ import annotations

from django.http import QueryDict
from rest_framework import pagination, serializers

#: The largest id a database primary key (bigint) can hold: a larger number
#: must be a 400, not an overflow deep in the database driver.
MAX_ID = 2**63 - 1


def id_field(**kwargs) -> serializers.IntegerField:
    """An integer that names a record by its id."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class QueryParameters(serializers.Serializer):
    """A list's filters, declared once: they validate the query string (an
    empty or wrong value is a 400 naming the parameter, never ignored) and
    document it (``@extend_schema(parameters=[TheFilters])``). Every filter
    is optional."""

    @classmethod
    def of(cls, request) -> dict:
        # A plain dict, not the QueryDict: DRF reads an empty value in
        # form-like input as "not given", and an empty filter is a mistake.
        query = cls(data=request.query_params.dict(), context={"request": request})
        query.is_valid(raise_exception=True)
        return query.validated_data


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's page numbers, strictly: ``page`` is a whole number from 1 (an
    empty, zero or non-numeric page is a 400 naming ``page``); a page past
    the last one is a 404."""

    page = serializers.IntegerField(min_value=1, max_value=MAX_ID)

    def get_page_number(self, request, paginator) -> int:
        value = request.query_params.get(self.page_query_param)
        if value is None:
            return 1
        try:
            return self.page.run_validation(value)
        except serializers.ValidationError as error:
            raise serializers.ValidationError({self.page_query_param: error.detail}) from None

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
        return parameters


def _json_type_error(field: serializers.Field, value) -> str | None:
    """What is wrong with ``value``'s JSON type for ``field``, as the schema
    documents it; None when it is right (the field then checks the value)."""
    if value is None:
        return None  # the field answers "may not be null" itself
    if isinstance(field, serializers.ListField | serializers.ManyRelatedField):
        if not isinstance(value, list):
            return "Expected a list."
        child = field.child if isinstance(field, serializers.ListField) else field.child_relation
        errors = [_json_type_error(child, item) for item in value]
        return next((error for error in errors if error), None)
    if isinstance(field, serializers.MultipleChoiceField):
        return None if isinstance(value, list) else "Expected a list."
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else "Expected true or false."
    if isinstance(field, serializers.ChoiceField):
        numbers = all(isinstance(choice, int) for choice in field.choices)
        wanted = int if numbers else str
        return None if isinstance(value, wanted) and not isinstance(value, bool) else "Not one of the choices."
    if isinstance(field, serializers.IntegerField | serializers.PrimaryKeyRelatedField):
        return None if isinstance(value, int) and not isinstance(value, bool) else "Expected a whole number."
    if isinstance(field, serializers.FloatField):
        return None if isinstance(value, int | float) and not isinstance(value, bool) else "Expected a number."
    text = (
        serializers.CharField,
        serializers.DateField,
        serializers.DateTimeField,
        serializers.TimeField,
        serializers.SlugRelatedField,
    )
    if isinstance(field, text):
        return None if isinstance(value, str) else "Expected text."
    return None


def json_type_errors(serializer: serializers.Serializer, data) -> dict[str, list[str]]:
    """Field errors for the values of a JSON body whose type is not the one
    the schema documents. DRF would read 5 as "5" for a text field and "5"
    as 5 for a number; a JSON client that sends the wrong type has a bug the
    API should name, not guess around. Form-encoded bodies (all text) are
    left to the fields."""
    if not isinstance(data, dict) or isinstance(data, QueryDict):
        return {}
    errors = {}
    for field in serializer.fields.values():
        if field.read_only or field.field_name not in data:
            continue
        error = _json_type_error(field, data[field.field_name])
        if error:
            errors[field.field_name] = [error]
    return errors


class JsonTypes:
    # Refuses a JSON value of another type than the documented one (see
    # json_type_errors), then validates as DRF does. (A comment, not a
    # docstring: the schema would show it as every serializer's description.)

    def to_internal_value(self, data):
        errors = json_type_errors(self, data)
        if errors:
            raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class Serializer(JsonTypes, serializers.Serializer):
    pass


class ModelSerializer(JsonTypes, serializers.ModelSerializer):
    pass
