{#- The ticket ids each custom-object record links to, in their listed order. -#}
{%- set tables = custom_object_record_tables('__ticket_ids') %}
with

source as (

    {% for table in tables %}
    select value, _dlt_parent_id, _dlt_list_idx
    from {{ api.Relation.create(database=target.database or none, schema='raw_stames', identifier=table) }}
    {% if not loop.last %}union all{% endif %}
    {% else %}
    select null::bigint as value, null::string as _dlt_parent_id, null::bigint as _dlt_list_idx
    where false
    {% endfor %}

),

renamed as (

    select
        ----------  ids
        _dlt_parent_id as raw_row_id,
        value as ticket_id,

        ----------  numerics
        _dlt_list_idx as link_position

    from source

)

select * from renamed
