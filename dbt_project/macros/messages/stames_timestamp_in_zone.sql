{#- A Stames timestamp text as a UTC timestamptz. Stames sends UTC with an offset (`...Z`);
    legacy imports send local wall time without one, which is read in the account's timezone
    (`timezone_expr`, from mapping.settings.source_timezone), an ambiguous wall time (the hour
    repeated when clocks go back) as its first occurrence, as `stames_timestamp` reads it.
    Unparseable text is NULL. -#}
{% macro stames_timestamp_in_zone(text_expr, timezone_expr) -%}
    {{ return(adapter.dispatch('stames_timestamp_in_zone')(text_expr, timezone_expr)) }}
{%- endmacro %}

{% macro default__stames_timestamp_in_zone(text_expr, timezone_expr) -%}
    case
        when regexp_matches({{ text_expr }}, '(Z|[+-]\d\d:?\d\d)$')
            then try_cast({{ text_expr }} as timestamptz)
        else timezone('UTC', {{ local_to_utc('try_cast(' ~ text_expr ~ ' as timestamp)', timezone_expr) }})
    end
{%- endmacro %}

{#- Spark holds no time zone in a timestamp: the UTC instant, as in a session whose zone is UTC. -#}
{% macro spark__stames_timestamp_in_zone(text_expr, timezone_expr) -%}
    {%- set offset_at_end %}(Z|[+-]\d\d:?\d\d)${% endset -%}
    case
        when {{ matches(text_expr, literal(offset_at_end)) }}
            then {{ utc_from_offset_text(text_expr) }}
        else {{ utc_from_local('cast(' ~ text_expr ~ ' as timestamp)', timezone_expr) }}
    end
{%- endmacro %}
