{#- Where the customers, staging and custom-object models need SQL that DuckDB and Spark spell
    differently (see portable.sql for the shared ones). -#}


{#- A key of several values for `max_by`/`min_by`, compared left to right, a NULL above any
    value. DuckDB compares row values so; Spark compares structs with NULL below, hence a flag
    before each value. -#}
{% macro row_key(expressions) -%}{{ return(adapter.dispatch('row_key')(expressions)) }}{%- endmacro %}
{% macro default__row_key(expressions) -%}({{ expressions | join(', ') }}){%- endmacro %}
{% macro spark__row_key(expressions) -%}
    struct({% for expression in expressions %}({{ expression }}) is null, {{ expression }}{{ ', ' if not loop.last }}{% endfor %})
{%- endmacro %}


{#- The column type of JSON text: DuckDB has a `json` type, Spark keeps it as a string. -#}
{% macro json_text_type() -%}{{ return(adapter.dispatch('json_text_type')()) }}{%- endmacro %}
{% macro default__json_text_type() -%}json{%- endmacro %}
{% macro spark__json_text_type() -%}string{%- endmacro %}


{#- One row per key of the JSON object `json` in `from` (a relation or subquery with alias):
    the `columns` (a list) with the key as `key_alias` and its value as text as `value_alias`
    (a string as is, anything else as its JSON text, JSON null as NULL). -#}
{% macro json_text_entries(columns, json, from, key_alias, value_alias) -%}
    {{ return(adapter.dispatch('json_text_entries')(columns, json, from, key_alias, value_alias)) }}
{%- endmacro %}
{% macro default__json_text_entries(columns, json, from, key_alias, value_alias) -%}
    select {{ columns | join(', ') }}, {{ key_alias }}, {{ json }} ->> {{ key_alias }} as {{ value_alias }}
    from (
        select {{ columns | join(', ') }}, {{ json }}, unnest(json_keys({{ json }})) as {{ key_alias }}
        from {{ from }}
    ) as keyed
{%- endmacro %}
{#- from_json into a string map keeps a non-string value as its JSON text. -#}
{% macro spark__json_text_entries(columns, json, from, key_alias, value_alias) -%}
    select {{ columns | join(', ') }}, {{ key_alias }}, {{ value_alias }}
    from {{ from }}
    lateral view explode(from_json({{ json }}, 'map<string,string>')) as {{ key_alias }}, {{ value_alias }}
{%- endmacro %}


{#- An aggregate: the group's (`key`, `value`) text pairs as one JSON object, keys in order. -#}
{% macro json_object_agg(key, value) -%}{{ return(adapter.dispatch('json_object_agg')(key, value)) }}{%- endmacro %}
{% macro default__json_object_agg(key, value) -%}
    to_json(map(list({{ key }} order by {{ key }}), list({{ value }} order by {{ key }})))
{%- endmacro %}
{#- collect_list keeps no order: array_sort orders the pairs by key. -#}
{% macro spark__json_object_agg(key, value) -%}
    to_json(map_from_entries(array_sort(collect_list(struct({{ key }}, {{ value }})))))
{%- endmacro %}
