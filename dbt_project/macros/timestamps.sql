{# Stames timestamps as UTC `timestamp` values (API.md §3, time).

   Well-formed values carry `Z` or an offset. Legacy imported values have none and are wall-clock
   time in the account's timezone when the account record says so
   (`legacy_import.timestamps_local_time`); otherwise they are read as UTC. A wall-clock time that
   happens twice (the autumn DST change) takes its first occurrence (fold=0); one that never
   happens (the spring gap) is moved forward by the gap, as DuckDB's ICU does.
   Expects the columns of `stames_account_clock()` beside the value. #}
{% macro stames_timestamp(column) -%}
    {%- set offset_at_end %}(Z|[+-]\d\d(:?\d\d)?)${% endset -%}
    case
        when {{ column }} is null or trim({{ column }}) = '' then null
        when {{ matches('trim(' ~ column ~ ')', literal(offset_at_end)) }}
            then {{ utc_from_offset_text('trim(' ~ column ~ ')') }}
        when not account_timestamps_local_time
            then cast(trim({{ column }}) as timestamp)
        else {{ local_to_utc('cast(trim(' ~ column ~ ') as timestamp)', 'account_timezone') }}
    end
{%- endmacro %}

{# A wall-clock timestamp in `zone` as UTC, the earlier instant when it is ambiguous (fold=0). #}
{% macro local_to_utc(local, zone) -%}{{ utc_from_local(local, zone) }}{%- endmacro %}

{# The account's clock, one row, cross-joined by the staging models that parse timestamps. #}
{% macro stames_account_clock() -%}
    select
        timezone as account_timezone,
        coalesce(legacy_import__timestamps_local_time, false) as account_timestamps_local_time
    from {{ source('raw_stames', 'account') }}
{%- endmacro %}
