{#- The mapping macros and the sync_salesforce__* models: where DuckDB and Spark differ (see
    portable.sql). -#}


{#- `value` at the row with the smallest `ordering`, even when that `value` is NULL (a value-map
    entry that maps to nothing). DuckDB's min_by skips rows whose value is NULL, Spark's does not. -#}
{% macro min_by_keeping_null(value, ordering) -%}
    {{ return(adapter.dispatch('min_by_keeping_null')(value, ordering)) }}
{%- endmacro %}
{% macro default__min_by_keeping_null(value, ordering) -%}arg_min_null({{ value }}, {{ ordering }}){%- endmacro %}
{% macro spark__min_by_keeping_null(value, ordering) -%}min_by({{ value }}, {{ ordering }}){%- endmacro %}


{#- The UTC calendar date of an instant. DuckDB casts a `timestamptz` to a date in the session's
    time zone (the machine's), Spark in the session's (UTC, see spark_lake.py). -#}
{% macro utc_date(instant) -%}{{ return(adapter.dispatch('utc_date')(instant)) }}{%- endmacro %}
{% macro default__utc_date(instant) -%}cast(timezone('UTC', {{ instant }}) as date){%- endmacro %}
{% macro spark__utc_date(instant) -%}cast({{ instant }} as date){%- endmacro %}
