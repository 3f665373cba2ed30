{# on-run-start: a bare `dbt build` refuses to run without a confirmed mapping in the warehouse,
   the same gate `stames-sf transform` applies to the mapping file. #}
{% macro require_confirmed_mapping() %}
    {% if execute %}
        {% set confirmed = 0 %}
        {% if 'confirmation' in tables_in_schema('mapping') %}
            {% set confirmed = run_query("select count(*) from mapping.confirmation").columns[0].values()[0] %}
        {% endif %}
        {% if confirmed == 0 %}
            {{ exceptions.raise_compiler_error(
                "The warehouse " ~ target.get('path', target.name) ~ " holds no confirmed mapping: run `stames-sf map confirm` first.") }}
        {% endif %}
    {% endif %}
    select 1
{% endmacro %}
