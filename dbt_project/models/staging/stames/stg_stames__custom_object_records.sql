{#- One row per custom-object record of every object key (see custom_object_record_tables). -#}
{%- set tables = custom_object_record_tables() %}
with

{# The typed empty row first: a column dlt did not create for some object (every value null, or
    no record at all) is NULL there instead of breaking the union. #}
source as (

    select
        null::varchar as id, null::varchar as object_key, null::varchar as name,
        null::bigint as customer_id, null::json as fields, null::varchar as created_at,
        null::varchar as updated_at, null::varchar as _dlt_id
    where false
    {% for table in tables %}
    union all by name
    select * from {{ api.Relation.create(database=target.database, schema='raw_stames', identifier=table) }}
    {% endfor %}

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
