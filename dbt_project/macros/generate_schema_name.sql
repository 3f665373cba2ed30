{# Models land in the schema their folder names (staging, intermediate, salesforce), not in
   `<target schema>_<name>`, so SQL inspection reads `salesforce.sync_salesforce__cases`. #}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
