{# The elements of multi-select custom field values (a list lands as a child table). #}
with source as (select * from {{ source('raw_stames', 'tickets__custom_fields__value') }}),

renamed as (
    select
        -- ids
        _dlt_parent_id as custom_field_dlt_id,
        -- strings
        value,
        -- numerics
        _dlt_list_idx as position
    from source
)

select * from renamed
