{# Reading the confirmed mapping at compile time: which Stames field feeds a Salesforce field, and
   through which value map. Models name Salesforce targets (their contract columns); the Stames
   side and every value decision come from here. #}

{# The mapping.fields rows of `target_object` (optionally one field), as a list of dicts. #}
{% macro mapping_fields(target_object, target_field=none) %}
    {% if not execute %}{{ return([]) }}{% endif %}
    {% set sql %}
        select source, source_type, target_field, value_map
        from {{ source('mapping', 'fields') }}
        where target_object = '{{ target_object }}'
        {% if target_field %}and target_field = '{{ target_field }}'{% endif %}
        order by source, target_field
    {% endset %}
    {% set rows = [] %}
    {% for row in run_query(sql).rows %}
        {% do rows.append({'source': row[0], 'source_type': row[1], 'target_field': row[2], 'value_map': row[3]}) %}
    {% endfor %}
    {{ return(rows) }}
{% endmacro %}

{# The staging column of a Stames source: `ticket.channel.type` is `channel__type` (dlt's name). #}
{% macro source_column(source, alias) -%}
    {{ alias }}.{{ source.split('.', 1)[1].replace('.', '__') }}
{%- endmacro %}

{# The expression feeding `target` (`Case.Subject`) from `alias`, value map applied; NULL when
   the mapping maps nothing to it. #}
{% macro mapped(target, alias) -%}
    {%- set target_object, target_field = target.split('.') -%}
    {%- set entries = mapping_fields(target_object, target_field) -%}
    {%- if entries | length == 0 -%}
        null
    {%- else -%}
        {{ value_mapped(source_column(entries[0].source, alias), entries[0].value_map) }}
    {%- endif -%}
{%- endmacro %}

{# The source column of `target` itself (for lookups, whose value is resolved by the model). #}
{% macro mapped_source(target, alias) -%}
    {%- set target_object, target_field = target.split('.') -%}
    {%- set entries = mapping_fields(target_object, target_field) -%}
    {%- if entries | length == 0 -%}null{%- else -%}{{ source_column(entries[0].source, alias) }}{%- endif -%}
{%- endmacro %}

{# `expression` through value map `value_map`: the entry whose source is the value (a NULL source
   entry maps a missing value), else the map's default, else NULL (the value is reported by
   int_quarantine__cases as not in the map). No map: the value as it is. #}
{% macro value_mapped(expression, value_map) -%}
    {%- if value_map is none -%}
        {{ expression }}
    {%- else -%}
        (select {{ min_by_keeping_null('value_maps.target_value', 'value_maps.is_default') }}
         from {{ ref('stg_mapping__value_maps') }} as value_maps
         where value_maps.value_map = '{{ value_map }}'
           and (value_maps.source_value is not distinct from {{ expression }} or value_maps.is_default))
    {%- endif -%}
{%- endmacro %}

{# Whether `expression` has an entry (or a default) in value map `value_map`. #}
{% macro value_is_mapped(expression, value_map) -%}
    exists (
        select 1 from {{ ref('stg_mapping__value_maps') }} as value_maps
        where value_maps.value_map = '{{ value_map }}'
          and (value_maps.source_value is not distinct from {{ expression }} or value_maps.is_default)
    )
{%- endmacro %}

{# A Stames text value as the column type its `source_type` calls for (API.md §3.24: checkboxes as
   "true"/"1"/true, decimals as locale strings "1.234,50", dates as dates). A number or a date is
   read only in the plain forms both engines read alike (DuckDB alone takes `1_000`, `+-1` and
   `2024/01/05`, Spark alone `１２`, `2024` and `2024-01-05 25:00`); anything else is NULL. #}
{% macro typed_value(expression, source_type) -%}
    {%- set text = 'cast(' ~ expression ~ ' as string)' -%}
    {%- set number_shape %}^ *[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)? *\z{% endset -%}
    {%- set date_shape %}^ *[1-9][0-9]{3}-[0-9]{1,2}-[0-9]{1,2}([ T]([01]?[0-9]|2[0-3]):[0-5]?[0-9](:[0-5]?[0-9](\.[0-9]+)?)?)? *\z{% endset -%}
    {%- if source_type in ('checkbox', 'boolean') -%}
        case when {{ expression }} is null then null
             else lower(trim({{ text }})) in ('true', '1', 'yes') end
    {%- elif source_type == 'decimal' -%}
        {%- set decimal_text = 'case when contains(' ~ text ~ ", ',') then replace(replace(" ~ text ~ ", '.', ''), ',', '.') else " ~ text ~ ' end' -%}
        try_cast(case when {{ matches(decimal_text, literal(number_shape)) }} then {{ decimal_text }} end as decimal(18, 2))
    {%- elif source_type in ('number', 'integer') -%}
        try_cast(case when {{ matches(text, literal(number_shape)) }} then {{ text }} end as double)
    {%- elif source_type == 'date' -%}
        try_cast(case when {{ matches(text, literal(date_shape)) }} then {{ text }} end as date)
    {%- else -%}
        {{ expression }}
    {%- endif -%}
{%- endmacro %}

{# Whether the mapping's exclusion rule `name` is enabled (a rule the mapping does not name is
   not applied). #}
{% macro exclusion_enabled(name) -%}
    coalesce((select bool_or(enabled) from {{ ref('stg_mapping__exclusions') }} where name = '{{ name }}'), false)
{%- endmacro %}

{# The lookup custom fields of a Stames object (`ticket`, `customer`): key -> lookup target
   (`agent`, `custom_object`, `ticket`, ...), read from the extracted field definitions. #}
{% macro custom_field_lookup_targets(object_type) %}
    {% if not execute %}{{ return({}) }}{% endif %}
    {% set sql %}
        select key, lookup__target from {{ ref('stg_stames__custom_fields') }}
        where object_type = '{{ object_type }}' and field_type = 'lookup'
    {% endset %}
    {% set targets = {} %}
    {% for row in run_query(sql).rows %}
        {% do targets.update({row[0]: row[1]}) %}
    {% endfor %}
    {{ return(targets) }}
{% endmacro %}

{# Whether a relation (a `source()` or `ref()`) exists in the warehouse yet: a table an optional
   step writes (the attachment ledger, the org's Accounts) is read as empty until it does. #}
{% macro relation_exists(relation) %}
    {% if not execute %}{{ return(true) }}{% endif %}
    {{ return(adapter.get_relation(relation.database, relation.schema, relation.identifier) is not none) }}
{% endmacro %}
