{#- The raw tables of Stames custom-object records: dlt lands one `custom_object_records_<key>`
    table per object key (and a `__ticket_ids` child when a record links tickets), and the keys are
    data, so the tables are found in the warehouse at compile time instead of being listed as
    sources. `child` names the child table wanted ('' for the records themselves). -#}
{% macro custom_object_record_tables(child='') %}
    {%- set tables = [] -%}
    {%- if execute -%}
        {%- set found = run_query(
            "select table_name from information_schema.tables where table_schema = 'raw_stames'"
            ~ " and starts_with(table_name, 'custom_object_records_') order by table_name"
        ) -%}
        {%- set names = found.columns[0].values() | list -%}
        {%- for name in names if '__' not in name and (child == '' or (name ~ child) in names) -%}
            {%- do tables.append(name ~ child) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(tables) }}
{% endmacro %}
