with source as (select * from {{ source('raw_stames', 'tickets__tags') }}),

renamed as (
    select
        -- ids
        _dlt_parent_id as ticket_dlt_id,
        -- strings
        value as tag,
        -- numerics
        _dlt_list_idx as position
    from source
)

select * from renamed
