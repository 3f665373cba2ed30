{#- One row per custom-object record of every object key (see custom_object_record_tables). -#}
{%- set tables = custom_object_record_tables() %}
{#- The columns read from each table: one dlt did not create for some object (every value null,
    or no record at all) is NULL there instead of breaking the union. -#}
{%- set columns = [
    ('id', 'string'), ('object_key', 'string'), ('name', 'string'), ('customer_id', 'bigint'),
    ('fields', json_text_type()), ('created_at', 'string'), ('updated_at', 'string'), ('_dlt_id', 'string'),
] %}
with

source as (

    {% for table in tables %}
    {%- set relation = api.Relation.create(database=target.database or none, schema='raw_stames', identifier=table) %}
    {%- set present = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list %}
    select
        {%- for name, type in columns %}
        cast({{ name if name in present else 'null' }} as {{ type }}) as {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    union all
    {% endfor %}
    select
        {%- for name, type in columns %}
        cast(null as {{ type }}) as {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    where false

),

renamed as (

    select
        ----------  ids
        id as record_id,
        object_key,
        customer_id,
        _dlt_id as raw_row_id,

        ----------  strings
        name as record_name,
        fields as field_values,

        ----------  timestamps (text as sent)
        created_at as created_at_text,
        updated_at as updated_at_text

    from source

)

select * from renamed
