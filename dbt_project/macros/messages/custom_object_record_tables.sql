{#- The raw tables of Stames custom-object records: dlt lands one `custom_object_records_<key>`
    table per object key (and a `__ticket_ids` child when a record links tickets), and the keys are
    data, so the tables are found in the warehouse at compile time instead of being listed as
    sources. `child` names the child table wanted ('' for the records themselves). -#}
{% macro custom_object_record_tables(child='') %}
    {%- set tables = [] -%}
    {%- if execute -%}
        {%- set names = tables_in_schema('raw_stames') -%}
        {%- for name in names if name.startswith('custom_object_records_') and '__' not in name
                                 and (child == '' or (name ~ child) in names) -%}
            {%- do tables.append(name ~ child) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(tables) }}
{% endmacro %}
