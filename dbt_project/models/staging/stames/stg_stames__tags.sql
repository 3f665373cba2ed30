with source as (select * from {{ source('raw_stames', 'tags') }}),

renamed as (
    select
        -- strings
        name as tag,
        -- numerics
        ticket_count
    from source
)

select * from renamed
