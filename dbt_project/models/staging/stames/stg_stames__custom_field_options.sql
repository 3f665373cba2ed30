with source as (select * from {{ source('raw_stames', 'custom_fields__options') }}),

renamed as (
    select
        -- ids
        _dlt_parent_id as field_dlt_id,
        -- strings
        value,
        label,
        -- numerics
        _dlt_list_idx as position,
        -- booleans
        coalesce(active, false) as is_active
    from source
)

select * from renamed
