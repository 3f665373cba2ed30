{#- One row per custom-object record of every object key (see custom_object_record_tables). -#}
{%- set tables = custom_object_record_tables() %}
with

source as (

    {% for table in tables %}
    select id, object_key, name, customer_id, fields, created_at, updated_at, _dlt_id
    from {{ api.Relation.create(database=target.database, schema='raw_stames', identifier=table) }}
    {% if not loop.last %}union all{% endif %}
    {% else %}
    select
        null::varchar as id, null::varchar as object_key, null::varchar as name,
        null::bigint as customer_id, null::json as fields, null::varchar as created_at,
        null::varchar as updated_at, null::varchar as _dlt_id
    where false
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
