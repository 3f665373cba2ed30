with source as (select * from {{ source('raw_stames', 'channels') }}),

renamed as (
    select
        -- ids
        id as channel_id,
        -- strings
        name,
        type as channel_type,
        address,
        -- booleans
        coalesce(active, false) as is_active
    from source
)

select * from renamed
